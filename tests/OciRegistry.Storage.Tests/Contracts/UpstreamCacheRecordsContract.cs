using OciRegistry.Core.References;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>What every <see cref="IUpstreamCacheRecords"/> must do; each backend runs it through a subclass.</summary>
public abstract class UpstreamCacheRecordsContract
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("dockerhub/library/alpine");
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly Lazy<IUpstreamCacheRecords> _records;

    protected UpstreamCacheRecordsContract()
    {
        _records = new Lazy<IUpstreamCacheRecords>(CreateRecords);
    }

    private IUpstreamCacheRecords Records => _records.Value;

    /// <summary>New, empty records.</summary>
    protected abstract IUpstreamCacheRecords CreateRecords();

    [Fact]
    public async Task Pulls_KeepTheLatestTime_PerRepositoryAndDigest()
    {
        var a = TestContent.DigestOf("a");
        var b = TestContent.DigestOf("b");
        await Records.RecordPullAsync(Repository, a, Noon);
        await Records.RecordPullAsync(Repository, a, Noon.AddHours(2));
        await Records.RecordPullAsync(Repository, a, Noon.AddHours(1));
        await Records.RecordPullAsync(Repository, b, Noon);
        await Records.RecordPullAsync(RepositoryName.Parse("dockerhub/library/other"), b, Noon.AddDays(1));

        var pulls = await Records.ListPullsAsync(Repository);

        Assert.Equal(new[] { new PullRecord(a, Noon.AddHours(2)), new PullRecord(b, Noon) }.OrderBy(p => p.Digest), pulls);
    }

    [Fact]
    public async Task ForgottenPull_IsGone_AndForgettingTwiceSaysSo()
    {
        var a = TestContent.DigestOf("a");
        await Records.RecordPullAsync(Repository, a, Noon);

        Assert.True(await Records.ForgetPullAsync(Repository, a));
        Assert.False(await Records.ForgetPullAsync(Repository, a));
        Assert.Empty(await Records.ListPullsAsync(Repository));
    }

    [Fact]
    public async Task TagChecks_KeepTheLatestTime_AndCanBeForgotten()
    {
        Assert.Null(await Records.GetTagCheckAsync(Repository, "3.20"));
        await Records.RecordTagCheckAsync(Repository, "3.20", Noon.AddMinutes(5));
        await Records.RecordTagCheckAsync(Repository, "3.20", Noon);
        await Records.RecordTagCheckAsync(Repository, "latest", Noon);

        Assert.Equal(Noon.AddMinutes(5), await Records.GetTagCheckAsync(Repository, "3.20"));
        Assert.True(await Records.ForgetTagCheckAsync(Repository, "3.20"));
        Assert.False(await Records.ForgetTagCheckAsync(Repository, "3.20"));
        Assert.Null(await Records.GetTagCheckAsync(Repository, "3.20"));
        Assert.Equal(Noon, await Records.GetTagCheckAsync(Repository, "latest"));
    }
}
