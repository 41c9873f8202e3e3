using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>The queries the web interface pages with: search, per-repository aggregates, tag keyset pages, link counts.</summary>
public abstract partial class MetadataStoreContract
{
    [Theory]
    [InlineData("APP", null, 10, "team/app,team/app2,x/myapp")]
    [InlineData("app", "team/app", 1, "team/app2")]
    [InlineData("app", "team/app2", 10, "x/myapp")]
    [InlineData("/", "x/myapp", 10, "")]
    [InlineData("zzz", null, 10, "")]
    public async Task SearchRepositories_FindsNamesContaining_WithoutCase_AfterCursor(string contains, string? after, int limit, string expected)
    {
        foreach (var repository in new[] { "team/db", "x/myapp", "team/app2", "a", "team/app" })
        {
            await Store.LinkBlobAsync(RepositoryName.Parse(repository), Layer);
        }

        Assert.Equal(Split(expected), (await Store.SearchRepositoriesAsync(contains, after, limit)).Select(name => name.Value));
    }

    [Fact]
    public async Task RepositoryStatistics_AreTheCountsLargestPullAndLastPush()
    {
        Assert.Equal(new RepositoryStatistics(0, 0, 0, 0, null), await Store.GetRepositoryStatisticsAsync(Repository));

        var big = Manifest("big") with { ReferencedSize = 10_000 };
        var small = Manifest("small") with { ReferencedSize = 50 };
        await Store.LinkBlobAsync(Repository, Layer);
        await Store.PutManifestAsync(Repository, big, ManifestReferences.None, "1");
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.PutManifestAsync(Repository, small, ManifestReferences.None, "2");
        await Store.PutManifestAsync(Repository, Manifest("untagged"), ManifestReferences.None, null);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.PutManifestAsync(Repository, big, ManifestReferences.None, "latest");

        Assert.Equal(
            new RepositoryStatistics(Tags: 3, Manifests: 3, BlobLinks: 4, LargestPull: big.Size + 10_000, LastPush: Clock.Now),
            await Store.GetRepositoryStatisticsAsync(Repository));
        Assert.Equal(new RepositoryStatistics(0, 0, 0, 0, null), await Store.GetRepositoryStatisticsAsync(RepositoryName.Parse("other")));
    }

    [Theory]
    [InlineData(TagOrder.Name, null, "V3,dev,v1,v10,v2")]
    [InlineData(TagOrder.Newest, null, "v10,V3,dev,v1,v2")]
    [InlineData(TagOrder.Oldest, null, "v1,v2,V3,dev,v10")]
    [InlineData(TagOrder.Name, "V1", "v1,v10")]
    [InlineData(TagOrder.Newest, "v1", "v10,v1")]
    [InlineData(TagOrder.Oldest, "none", "")]
    public async Task TagEntries_ComeInKeysetPages_InEachOrder_Filtered(TagOrder order, string? contains, string expected)
    {
        // Two tags share each of the first two times, so the name breaks ties and the cursor must carry both.
        foreach (var (tag, minutesLater) in new[] { ("v2", 0), ("v1", 0), ("dev", 1), ("V3", 0), ("v10", 1) })
        {
            Clock.Advance(TimeSpan.FromMinutes(minutesLater));
            await Store.PutManifestAsync(Repository, Manifest(tag), ManifestReferences.None, tag);
        }

        var seen = new List<TagEntry>();
        TagEntry? after = null;
        while (true)
        {
            var page = await Store.ListTagEntriesAsync(Repository, new TagListQuery(contains, order, after, Limit: 2));
            Assert.InRange(page.Count, 0, 2);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(Split(expected), seen.Select(t => t.Name));
        Assert.All(seen, t => Assert.Equal(Manifest(t.Name).Digest, t.Digest));
        Assert.Equal(seen.Count, await Store.CountTagsAsync(Repository, contains));
        Assert.Empty(await Store.ListTagEntriesAsync(RepositoryName.Parse("other"), new TagListQuery(contains, order, null, 10)));
    }

    [Fact]
    public async Task BlobLinkStatistics_CountRepositoriesAndTheLinksOfEachBlob()
    {
        var shared = TestContent.DigestOf("shared");
        await Store.LinkBlobAsync(RepositoryName.Parse("a"), shared);
        await Store.LinkBlobAsync(RepositoryName.Parse("b"), shared);
        await Store.LinkBlobAsync(RepositoryName.Parse("b"), Layer);
        await Store.LinkBlobAsync(RepositoryName.Parse("c"), shared);
        await Store.UnlinkBlobAsync(RepositoryName.Parse("c"), shared);

        var statistics = await Store.GetBlobLinkStatisticsAsync();

        Assert.Equal(2, statistics.Repositories);
        Assert.Equal(new Dictionary<Digest, int> { [shared] = 2, [Layer] = 1 }, statistics.LinksPerBlob);
    }

    [Fact]
    public async Task BlobsLinkedElsewhere_AreThoseAnotherRepositoryLinks()
    {
        var shared = TestContent.DigestOf("shared");
        var unlinked = TestContent.DigestOf("unlinked");
        await Store.LinkBlobAsync(Repository, shared);
        await Store.LinkBlobAsync(Repository, Layer);
        await Store.LinkBlobAsync(RepositoryName.Parse("other"), shared);
        await Store.LinkBlobAsync(RepositoryName.Parse("third"), unlinked);
        await Store.UnlinkBlobAsync(RepositoryName.Parse("third"), unlinked);

        var elsewhere = await Store.FindBlobsLinkedElsewhereAsync(Repository, [shared, Layer, unlinked]);

        Assert.Equal([shared], elsewhere);
        Assert.Equal([shared], await Store.FindBlobsLinkedElsewhereAsync(RepositoryName.Parse("unknown"), [shared, unlinked]));
        Assert.Empty(await Store.FindBlobsLinkedElsewhereAsync(Repository, []));
    }
}
