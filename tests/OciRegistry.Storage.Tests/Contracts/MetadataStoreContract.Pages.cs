using FsCheck.Xunit;
using OciRegistry.Core.Digests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>The calls that answer for a whole page at once: each row's answer is its own, as if asked alone.</summary>
public abstract partial class MetadataStoreContract
{
    [Fact]
    public async Task RepositoryStatistics_OfSeveralRepositories_AreEachOnesOwn_AndEmptyForAMissingOne()
    {
        var other = RepositoryName.Parse("team/other");
        var missing = RepositoryName.Parse("team/missing");
        var big = Manifest("big") with { ReferencedSize = 10_000 };
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);
        await Store.PutManifestAsync(Repository, big, ManifestReferences.None, "1");
        var pushedToRepository = Clock.Now;
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.PutManifestAsync(other, Manifest("small"), ManifestReferences.None, "1");
        await Store.PutManifestAsync(other, Manifest("small"), ManifestReferences.None, "2");

        var statistics = await Store.GetRepositoryStatisticsAsync([Repository, missing, other, Repository]);

        Assert.Equal(3, statistics.Count);
        Assert.Equal(
            new RepositoryStatistics(Tags: 1, Manifests: 1, BlobLinks: 2, LargestPull: big.Size + 10_000, LastPush: pushedToRepository) { Size = LayerSize + big.Size },
            statistics[Repository]);
        Assert.Equal(
            new RepositoryStatistics(Tags: 2, Manifests: 1, BlobLinks: 1, LargestPull: Manifest("small").Size, LastPush: Clock.Now) { Size = Manifest("small").Size },
            statistics[other]);
        Assert.Equal(RepositoryStatistics.Empty, statistics[missing]);
        Assert.Empty(await Store.GetRepositoryStatisticsAsync([]));
    }

    // Whatever the repositories hold, asking for them together answers for each what asking for it alone does, and
    // its tag count is the one CountTagsAsync gives (the page's aggregates never mix rows of another repository).
    [Property(MaxTest = 15)]
    public async Task<bool> RepositoryStatistics_AskedTogether_EqualEachAskedAlone(byte[] pushes)
    {
        // Each byte is one push: its low bits pick the repository, the next ones the manifest, the top one a tag.
        var names = Enumerable.Range(0, 4).Select(i => RepositoryName.Parse($"property/r{i}")).ToArray();
        foreach (var push in pushes)
        {
            var manifest = push / names.Length % 6;
            var record = Manifest($"p{manifest}") with { ReferencedSize = push };
            await Store.PutManifestAsync(names[push % names.Length], record, ManifestReferences.None, push >= 128 ? $"t{manifest % 3}" : null);
            Clock.Advance(TimeSpan.FromSeconds(push));
        }

        var together = await Store.GetRepositoryStatisticsAsync(names);
        foreach (var name in names)
        {
            var alone = (await Store.GetRepositoryStatisticsAsync([name]))[name];
            if (together[name] != alone || alone.Tags != await Store.CountTagsAsync(name, null))
            {
                return false;
            }
        }

        return together.Count == names.Length;
    }

    [Fact]
    public async Task Manifests_OfSeveralDigests_AreThoseTheRepositoryHas_AsReadOneByOne()
    {
        var index = Manifest("index") with { ReferencedSize = 2_000, Platforms = ["linux/amd64", "linux/arm64"] };
        var image = Manifest("image");
        var elsewhere = Manifest("elsewhere");
        await Store.PutManifestAsync(Repository, index, ManifestReferences.None, "multi");
        await Store.PutManifestAsync(Repository, image, ManifestReferences.None, null);
        await Store.PutManifestAsync(RepositoryName.Parse("team/other"), elsewhere, ManifestReferences.None, "1");
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);

        var found = await Store.GetManifestsAsync(Repository, [index.Digest, elsewhere.Digest, Layer, image.Digest, index.Digest]);

        Assert.Equal(new[] { image.Digest, index.Digest }.Order(), found.Keys.Order());
        foreach (var (digest, record) in found)
        {
            var alone = await Store.GetManifestAsync(Repository, digest);
            AssertSame(alone!, record);
            Assert.Equal(alone!.PushedAt, record.PushedAt);
        }

        AssertSame(index, found[index.Digest]);
        Assert.Empty(await Store.GetManifestsAsync(Repository, []));
        Assert.Empty(await Store.GetManifestsAsync(RepositoryName.Parse("team/missing"), [index.Digest]));
    }
}
