using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>What every <see cref="IMetadataStore"/> must do; each backend runs it through a subclass.</summary>
public abstract class MetadataStoreContract
{
    private const string Repository = "library/alpine";
    private const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    private static readonly Digest Layer = TestContent.DigestOf("layer");

    private readonly Lazy<IMetadataStore> _store;

    protected MetadataStoreContract()
    {
        _store = new Lazy<IMetadataStore>(CreateStore);
    }

    private IMetadataStore Store => _store.Value;

    /// <summary>A new, empty store.</summary>
    protected abstract IMetadataStore CreateStore();

    [Fact]
    public async Task UnknownRepository_HasNothing()
    {
        Assert.False(await Store.RepositoryExistsAsync(Repository));
        Assert.False(await Store.IsBlobLinkedAsync(Repository, Layer));
        Assert.Null(await Store.GetManifestAsync(Repository, Layer));
        Assert.Null(await Store.ResolveTagAsync(Repository, "latest"));
        Assert.Empty(await Store.ListTagsAsync(Repository, null, 10));
        Assert.Empty(await Store.GetTagsAsync(Repository));
        Assert.Empty(await Store.ListManifestsAsync(Repository));
        Assert.Empty(await Store.ListBlobLinksAsync(Repository));
        Assert.Empty(await Store.ListReferrersAsync(Repository, Layer));
        Assert.Empty(await Store.ListRepositoriesAsync(null, 10));
    }

    [Fact]
    public async Task LinkBlob_IsIdempotent_AndUnlinkRemovesIt()
    {
        await Store.LinkBlobAsync(Repository, Layer);
        await Store.LinkBlobAsync(Repository, Layer);

        Assert.True(await Store.IsBlobLinkedAsync(Repository, Layer));
        Assert.False(await Store.IsBlobLinkedAsync("other", Layer));
        Assert.Equal([Layer], await Store.ListBlobLinksAsync(Repository));
        Assert.True(await Store.RepositoryExistsAsync(Repository));

        Assert.True(await Store.UnlinkBlobAsync(Repository, Layer));
        Assert.False(await Store.UnlinkBlobAsync(Repository, Layer));
        Assert.False(await Store.IsBlobLinkedAsync(Repository, Layer));
        Assert.False(await Store.RepositoryExistsAsync(Repository));
    }

    [Fact]
    public async Task PutManifest_WithTag_KeepsRecordAndPointsTag()
    {
        var subject = Manifest("subject");
        var manifest = Manifest("signature", subject.Digest, "application/vnd.example.sig", new Dictionary<string, string> { ["org.example"] = "yes" });

        await Store.PutManifestAsync(Repository, manifest, "v1");

        var stored = await Store.GetManifestAsync(Repository, manifest.Digest);
        AssertSame(manifest, stored);
        Assert.Equal(manifest.Digest, await Store.ResolveTagAsync(Repository, "v1"));
        Assert.True(await Store.RepositoryExistsAsync(Repository));
        AssertSame(manifest, Assert.Single(await Store.ListManifestsAsync(Repository)));
    }

    [Fact]
    public async Task PutManifest_KeepsSummary_AndStampsPushTime()
    {
        var index = Manifest("index") with { ReferencedSize = 4242, Platforms = ["linux/amd64", "linux/arm64/v8"] };
        var before = DateTimeOffset.UtcNow;

        await Store.PutManifestAsync(Repository, index, "multi");

        var stored = await Store.GetManifestAsync(Repository, index.Digest);
        AssertSame(index, stored);
        Assert.InRange(stored!.PushedAt!.Value, before, DateTimeOffset.UtcNow);
        AssertSame(index, Assert.Single(await Store.ListManifestsAsync(Repository)));
    }

    [Fact]
    public async Task PutManifest_WithoutTag_TagsNothing()
    {
        var manifest = Manifest("one");

        await Store.PutManifestAsync(Repository, manifest, tag: null);

        Assert.NotNull(await Store.GetManifestAsync(Repository, manifest.Digest));
        Assert.Empty(await Store.ListTagsAsync(Repository, null, 10));
    }

    [Fact]
    public async Task Retag_MovesTag_AndKeepsPreviousManifest()
    {
        var first = Manifest("first");
        var second = Manifest("second");
        await Store.PutManifestAsync(Repository, first, "latest");

        await Store.PutManifestAsync(Repository, second, "latest");

        Assert.Equal(second.Digest, await Store.ResolveTagAsync(Repository, "latest"));
        Assert.NotNull(await Store.GetManifestAsync(Repository, first.Digest));
        Assert.Equal(["latest"], await Store.ListTagsAsync(Repository, null, 10));
    }

    [Fact]
    public async Task DeleteManifest_RemovesItsTagsAndReferrerEntry_KeepsOthers()
    {
        var subject = Manifest("subject");
        var referrer = Manifest("referrer", subject.Digest);
        var other = Manifest("other");
        await Store.PutManifestAsync(Repository, subject, "s");
        await Store.PutManifestAsync(Repository, referrer, "r1");
        await Store.PutManifestAsync(Repository, referrer, "r2");
        await Store.PutManifestAsync(Repository, other, "o");

        Assert.True(await Store.DeleteManifestAsync(Repository, referrer.Digest));

        Assert.Null(await Store.GetManifestAsync(Repository, referrer.Digest));
        Assert.Null(await Store.ResolveTagAsync(Repository, "r1"));
        Assert.Null(await Store.ResolveTagAsync(Repository, "r2"));
        Assert.Equal(["o", "s"], await Store.ListTagsAsync(Repository, null, 10));
        Assert.Empty(await Store.ListReferrersAsync(Repository, subject.Digest));
        Assert.False(await Store.DeleteManifestAsync(Repository, referrer.Digest));
    }

    [Fact]
    public async Task DeleteManifest_ReturnsFalse_WhenNotLinked() =>
        Assert.False(await Store.DeleteManifestAsync(Repository, Manifest("never").Digest));

    [Fact]
    public async Task DeleteTag_RemovesOnlyTheTag()
    {
        var manifest = Manifest("one");
        await Store.PutManifestAsync(Repository, manifest, "latest");

        Assert.True(await Store.DeleteTagAsync(Repository, "latest"));

        Assert.False(await Store.DeleteTagAsync(Repository, "latest"));
        Assert.Null(await Store.ResolveTagAsync(Repository, "latest"));
        Assert.NotNull(await Store.GetManifestAsync(Repository, manifest.Digest));
    }

    [Fact]
    public async Task ListReferrers_ReturnsManifestsWithThatSubject_InDigestOrder()
    {
        var subject = Manifest("subject");
        var referrers = Enumerable.Range(0, 5)
            .Select(i => Manifest($"referrer {i}", subject.Digest, $"application/vnd.example.{i}", new Dictionary<string, string> { ["i"] = $"{i}" }))
            .ToList();
        await Store.PutManifestAsync(Repository, subject, "latest");
        foreach (var referrer in referrers)
        {
            await Store.PutManifestAsync(Repository, referrer, tag: null);
        }

        await Store.PutManifestAsync(Repository, Manifest("unrelated", Manifest("other subject").Digest), tag: null);
        await Store.PutManifestAsync("other", Manifest("elsewhere", subject.Digest), tag: null);

        var listed = await Store.ListReferrersAsync(Repository, subject.Digest);

        Assert.Equal(referrers.Select(r => r.Digest).Order(), listed.Select(r => r.Digest));
        foreach (var record in listed)
        {
            AssertSame(referrers.Single(r => r.Digest == record.Digest), record);
        }
    }

    [Fact]
    public async Task GetTags_ReturnsEveryTagWithItsDigest()
    {
        var first = Manifest("first");
        var second = Manifest("second");
        await Store.PutManifestAsync(Repository, first, "a");
        await Store.PutManifestAsync(Repository, first, "b");
        await Store.PutManifestAsync(Repository, second, "c");

        var tags = await Store.GetTagsAsync(Repository);

        Assert.Equal(
            [("a", first.Digest), ("b", first.Digest), ("c", second.Digest)],
            tags.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (t.Name, t.Digest)));
    }

    [Fact]
    public async Task Tags_RecordWhenTheyWereLastSet()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await Store.PutManifestAsync(Repository, Manifest("first"), "moving");

        var set = Assert.Single(await Store.GetTagsAsync(Repository));

        Assert.InRange(set.UpdatedAt, before, DateTimeOffset.UtcNow.AddSeconds(2));
    }

    [Theory]
    [InlineData(null, 100, "V2,_x,latest,v1.0,v1.1")]
    [InlineData(null, 2, "V2,_x")]
    [InlineData("_x", 2, "latest,v1.0")]
    [InlineData("v1.0", 100, "v1.1")]
    [InlineData("v1.1", 100, "")]
    [InlineData("zzz", 100, "")]
    [InlineData("a", 100, "latest,v1.0,v1.1")]
    [InlineData(null, 0, "")]
    public async Task ListTags_PagesInOrdinalOrder_AfterCursor(string? after, int limit, string expected)
    {
        var manifest = Manifest("one");
        foreach (var tag in new[] { "v1.1", "latest", "_x", "V2", "v1.0" })
        {
            await Store.PutManifestAsync(Repository, manifest, tag);
        }

        var page = await Store.ListTagsAsync(Repository, after, limit);

        Assert.Equal(Split(expected), page);
    }

    [Theory]
    [InlineData(null, 100, "a,a-b,a/b,a/b/c,z/y")]
    [InlineData(null, 2, "a,a-b")]
    [InlineData("a-b", 2, "a/b,a/b/c")]
    [InlineData("a/b/c", 100, "z/y")]
    [InlineData("z/y", 100, "")]
    [InlineData(null, 0, "")]
    public async Task ListRepositories_FindsNestedNames_InOrdinalOrder_AfterCursor(string? after, int limit, string expected)
    {
        foreach (var repository in new[] { "a/b/c", "z/y", "a", "a/b", "a-b" })
        {
            await Store.LinkBlobAsync(repository, Layer);
        }

        var page = await Store.ListRepositoriesAsync(after, limit);

        Assert.Equal(Split(expected), page);
    }

    [Fact]
    public async Task NestedRepositories_AreIndependent()
    {
        var manifest = Manifest("nested");
        await Store.PutManifestAsync("a/b/c", manifest, "latest");

        Assert.False(await Store.RepositoryExistsAsync("a"));
        Assert.False(await Store.RepositoryExistsAsync("a/b"));
        Assert.True(await Store.RepositoryExistsAsync("a/b/c"));
        Assert.Null(await Store.ResolveTagAsync("a/b", "latest"));
        Assert.Equal(["a/b/c"], await Store.ListRepositoriesAsync(null, 10));

        await Store.PutManifestAsync("a/b", Manifest("parent"), "parent");
        Assert.Equal(["latest"], await Store.ListTagsAsync("a/b/c", null, 10));
        Assert.Equal(["parent"], await Store.ListTagsAsync("a/b", null, 10));
    }

    [Fact]
    public async Task Repository_StopsExisting_WhenItsLastManifestIsDeleted()
    {
        var manifest = Manifest("only");
        await Store.PutManifestAsync(Repository, manifest, "latest");

        await Store.DeleteManifestAsync(Repository, manifest.Digest);

        Assert.False(await Store.RepositoryExistsAsync(Repository));
        Assert.Empty(await Store.ListRepositoriesAsync(null, 10));
    }

    private static ManifestRecord Manifest(string name, Digest? subject = null, string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null) =>
        new(TestContent.DigestOf(name), ImageManifest, 100 + name.Length, subject, artifactType, annotations);

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Equal in everything the pusher decides; <see cref="ManifestRecord.PushedAt"/> is the store's.</summary>
    private static void AssertSame(ManifestRecord expected, ManifestRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            expected with { Annotations = null, Platforms = null, PushedAt = null },
            actual with { Annotations = null, Platforms = null, PushedAt = null });
        Assert.Equal(expected.Annotations?.OrderBy(a => a.Key), actual.Annotations?.OrderBy(a => a.Key));
        Assert.Equal(expected.Platforms, actual.Platforms);
    }
}
