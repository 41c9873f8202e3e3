using OciRegistry.Core.References;
using OciRegistry.Core.Upstream;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class SqliteUpstreamCacheRecordsTests : UpstreamCacheRecordsContract, IDisposable
{
    private readonly TemporaryRoot _root = new();
    private SqliteMetadataStore? _store;

    public void Dispose()
    {
        _store?.Dispose();
        _root.Dispose();
    }

    protected override IUpstreamCacheRecords CreateRecords() => _store = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));

    [Fact]
    public async Task Records_SurviveReopeningTheDatabase()
    {
        var path = Path.Combine(_root.Path, "reopened.db");
        var checkedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        using (var first = new SqliteMetadataStore(path))
        {
            await first.RecordTagCheckAsync(RepositoryName.Parse("up/team/app"), "1.0", checkedAt);
        }

        using var reopened = new SqliteMetadataStore(path);
        Assert.Equal(checkedAt, await reopened.GetTagCheckAsync(RepositoryName.Parse("up/team/app"), "1.0"));
    }
}
