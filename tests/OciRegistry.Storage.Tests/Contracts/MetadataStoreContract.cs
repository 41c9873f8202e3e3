using FsCheck.Xunit;
using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>What every <see cref="IMetadataStore"/> must do; each backend runs it through a subclass.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("library/alpine");
    private const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    private static readonly Digest Layer = TestContent.DigestOf("layer");
    private const long LayerSize = 5;

    private readonly Lazy<IMetadataStore> _store;

    protected MetadataStoreContract()
    {
        _store = new Lazy<IMetadataStore>(() => CreateStore(Clock));
    }

    /// <summary>The clock the store stamps links, pushes and tags with.</summary>
    private ManualClock Clock { get; } = new();

    private IMetadataStore Store => _store.Value;

    /// <summary>
    /// A store stamping times from <paramref name="time"/>, empty at the test's first call; each further call in the same test
    /// opens another instance over the same data (another process or registry instance sharing it).
    /// </summary>
    protected abstract IMetadataStore CreateStore(TimeProvider time);

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
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);

        Assert.True(await Store.IsBlobLinkedAsync(Repository, Layer));
        Assert.False(await Store.IsBlobLinkedAsync(RepositoryName.Parse("other"), Layer));
        Assert.Equal([Layer], (await Store.ListBlobLinksAsync(Repository)).Select(l => l.Digest));
        Assert.True(await Store.RepositoryExistsAsync(Repository));

        Assert.True(await Store.UnlinkBlobAsync(Repository, Layer));
        Assert.False(await Store.UnlinkBlobAsync(Repository, Layer));
        Assert.False(await Store.IsBlobLinkedAsync(Repository, Layer));
        Assert.False(await Store.RepositoryExistsAsync(Repository));
    }

    [Fact]
    public async Task LinkedBlobs_AreThoseLinkedToThisRepository()
    {
        var config = TestContent.DigestOf("config");
        var unlinked = TestContent.DigestOf("unlinked");
        var elsewhere = TestContent.DigestOf("elsewhere");
        await Store.LinkBlobAsync(Repository, config, 6);
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);
        await Store.LinkBlobAsync(Repository, unlinked, 8);
        await Store.UnlinkBlobAsync(Repository, unlinked);
        await Store.LinkBlobAsync(RepositoryName.Parse("other"), elsewhere, 9);

        var linked = await Store.FindLinkedBlobsAsync(Repository, [Layer, elsewhere, unlinked, config, Layer]);

        Assert.Equal(new[] { config, Layer }.Order(), linked.Order());
        Assert.Empty(await Store.FindLinkedBlobsAsync(Repository, []));
        Assert.Empty(await Store.FindLinkedBlobsAsync(RepositoryName.Parse("unknown"), [Layer, elsewhere]));
    }

    // Whatever links and unlinks came before, asking for several blobs at once answers what asking for each does.
    [Property(MaxTest = 15)]
    public async Task<bool> LinkedBlobs_AskedTogether_EqualEachAskedAlone(byte[] changes)
    {
        // Each byte is one change: the low bit links or unlinks, the next one picks the repository, the rest the blob.
        var repositories = new[] { Repository, RepositoryName.Parse("property/other") };
        var digests = Enumerable.Range(0, 6).Select(i => TestContent.DigestOf($"property blob {i}")).ToArray();
        foreach (var change in changes)
        {
            var (repository, digest) = (repositories[(change >> 1) % 2], digests[(change >> 2) % digests.Length]);
            if (change % 2 == 0)
            {
                await Store.LinkBlobAsync(repository, digest, change);
            }
            else
            {
                await Store.UnlinkBlobAsync(repository, digest);
            }
        }

        foreach (var repository in repositories)
        {
            var alone = new HashSet<Digest>();
            foreach (var digest in digests)
            {
                if (await Store.IsBlobLinkedAsync(repository, digest))
                {
                    alone.Add(digest);
                }
            }

            if (!alone.SetEquals(await Store.FindLinkedBlobsAsync(repository, digests)))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public async Task PutManifest_WithTag_KeepsRecordAndPointsTag()
    {
        var subject = Manifest("subject");
        var manifest = Manifest("signature", subject.Digest, "application/vnd.example.sig", new Dictionary<string, string> { ["org.example"] = "yes" });

        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "v1");

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

        await Store.PutManifestAsync(Repository, index, ManifestReferences.None, "multi");

        var stored = await Store.GetManifestAsync(Repository, index.Digest);
        AssertSame(index, stored);
        Assert.Equal(Clock.Now, stored!.PushedAt);
        AssertSame(index, Assert.Single(await Store.ListManifestsAsync(Repository)));
    }

    [Fact]
    public async Task PutManifest_WithoutTag_TagsNothing()
    {
        var manifest = Manifest("one");

        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, tag: null);

        Assert.NotNull(await Store.GetManifestAsync(Repository, manifest.Digest));
        Assert.Empty(await Store.ListTagsAsync(Repository, null, 10));
    }

    [Fact]
    public async Task Retag_MovesTag_AndKeepsPreviousManifest()
    {
        var first = Manifest("first");
        var second = Manifest("second");
        await Store.PutManifestAsync(Repository, first, ManifestReferences.None, "latest");

        await Store.PutManifestAsync(Repository, second, ManifestReferences.None, "latest");

        Assert.Equal(second.Digest, await Store.ResolveTagAsync(Repository, "latest"));
        AssertSame(second, await Store.GetTaggedManifestAsync(Repository, "latest"));
        Assert.NotNull(await Store.GetManifestAsync(Repository, first.Digest));
        Assert.Equal(["latest"], await Store.ListTagsAsync(Repository, null, 10));
    }

    [Fact]
    public async Task DeleteManifest_RemovesItsTagsAndReferrerEntry_KeepsOthers()
    {
        var subject = Manifest("subject");
        var referrer = Manifest("referrer", subject.Digest);
        var other = Manifest("other");
        await Store.PutManifestAsync(Repository, subject, ManifestReferences.None, "s");
        await Store.PutManifestAsync(Repository, referrer, ManifestReferences.None, "r1");
        await Store.PutManifestAsync(Repository, referrer, ManifestReferences.None, "r2");
        await Store.PutManifestAsync(Repository, other, ManifestReferences.None, "o");

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
        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "latest");

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
        await Store.PutManifestAsync(Repository, subject, ManifestReferences.None, "latest");
        foreach (var referrer in referrers)
        {
            await Store.PutManifestAsync(Repository, referrer, ManifestReferences.None, tag: null);
        }

        await Store.PutManifestAsync(Repository, Manifest("unrelated", Manifest("other subject").Digest), ManifestReferences.None, tag: null);
        await Store.PutManifestAsync(RepositoryName.Parse("other"), Manifest("elsewhere", subject.Digest), ManifestReferences.None, tag: null);

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
        await Store.PutManifestAsync(Repository, first, ManifestReferences.None, "a");
        await Store.PutManifestAsync(Repository, first, ManifestReferences.None, "b");
        await Store.PutManifestAsync(Repository, second, ManifestReferences.None, "c");

        var tags = await Store.GetTagsAsync(Repository);

        Assert.Equal(
            [("a", first.Digest), ("b", first.Digest), ("c", second.Digest)],
            tags.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (t.Name, t.Digest)));
    }

    [Fact]
    public async Task Tags_RecordWhenTheyWereLastSet()
    {
        await Store.PutManifestAsync(Repository, Manifest("first"), ManifestReferences.None, "moving");
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.PutManifestAsync(Repository, Manifest("second"), ManifestReferences.None, "moving");

        var set = Assert.Single(await Store.GetTagsAsync(Repository));

        Assert.Equal(Clock.Now, set.UpdatedAt);
    }

    [Fact]
    public async Task Relinking_RefreshesWhenTheBlobWasLinked()
    {
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);
        Clock.Advance(TimeSpan.FromHours(2));

        await Store.LinkBlobAsync(Repository, Layer, LayerSize);

        Assert.Equal(new BlobLink(Layer, Clock.Now), Assert.Single(await Store.ListBlobLinksAsync(Repository)));
    }

    [Fact]
    public async Task UnlinkUnusedBlob_KeepsYoungLinks_AndBlobsAManifestNeeds()
    {
        var config = TestContent.DigestOf("config");
        var manifest = Manifest("image");
        await Store.LinkBlobAsync(Repository, Layer, LayerSize);
        await Store.LinkBlobAsync(Repository, config, 100);
        await Store.PutManifestAsync(Repository, manifest, new ManifestReferences([config], []), tag: null);
        var cutoff = Clock.Now;
        Assert.False(await Store.UnlinkUnusedBlobAsync(Repository, Layer, linkedBefore: cutoff)); // linked at the cutoff
        Clock.Advance(TimeSpan.FromHours(2));

        Assert.False(await Store.UnlinkUnusedBlobAsync(Repository, config, Clock.Now));
        Assert.False(await Store.UnlinkUnusedBlobAsync(Repository, manifest.Digest, Clock.Now));
        Assert.True(await Store.UnlinkUnusedBlobAsync(Repository, Layer, Clock.Now));
        Assert.False(await Store.UnlinkUnusedBlobAsync(Repository, Layer, Clock.Now));

        Assert.True(await Store.DeleteManifestAsync(Repository, manifest.Digest));
        Assert.True(await Store.UnlinkUnusedBlobAsync(Repository, config, Clock.Now));
    }

    [Fact]
    public async Task PutManifest_WithAReferenceNotInTheRepository_StoresNothing()
    {
        var child = Manifest("child");
        await Store.LinkBlobAsync(RepositoryName.Parse("other"), Layer, LayerSize);

        var blobMissing = await Store.PutManifestAsync(Repository, Manifest("image"), new ManifestReferences([Layer], []), "latest");
        var childMissing = await Store.PutManifestAsync(Repository, Manifest("index"), new ManifestReferences([], [child.Digest]), "latest");

        Assert.Equal(new ManifestPutResult(ManifestPutStatus.MissingReference, Layer), blobMissing);
        Assert.Equal(new ManifestPutResult(ManifestPutStatus.MissingReference, child.Digest), childMissing);
        Assert.False(await Store.RepositoryExistsAsync(Repository));
    }

    [Fact]
    public async Task ImmutableTag_IsNotMoved_ButMayBePutAgainOnTheSameManifest()
    {
        var first = Manifest("first");
        await Store.PutManifestAsync(Repository, first, ManifestReferences.None, "v1", tagIsImmutable: true);

        var moved = await Store.PutManifestAsync(Repository, Manifest("second"), ManifestReferences.None, "v1", tagIsImmutable: true);
        var again = await Store.PutManifestAsync(Repository, first, ManifestReferences.None, "v1", tagIsImmutable: true);

        Assert.Equal(ManifestPutStatus.TagImmutable, moved.Status);
        Assert.True(again.Stored);
        Assert.Equal(first.Digest, await Store.ResolveTagAsync(Repository, "v1"));
        Assert.Null(await Store.GetManifestAsync(Repository, Manifest("second").Digest));
    }

    [Fact]
    public async Task DeleteUnusedManifest_KeepsTaggedYoungAndChildManifests()
    {
        var child = Manifest("child");
        var index = Manifest("index");
        var tagged = Manifest("tagged");
        await Store.PutManifestAsync(Repository, child, ManifestReferences.None, tag: null);
        await Store.PutManifestAsync(Repository, index, new ManifestReferences([], [child.Digest]), tag: null);
        await Store.PutManifestAsync(Repository, tagged, ManifestReferences.None, "latest");
        Assert.False(await Store.DeleteUnusedManifestAsync(Repository, index.Digest, pushedBefore: Clock.Now));
        Clock.Advance(TimeSpan.FromHours(2));

        Assert.False(await Store.DeleteUnusedManifestAsync(Repository, tagged.Digest, Clock.Now));
        Assert.False(await Store.DeleteUnusedManifestAsync(Repository, child.Digest, Clock.Now));
        Assert.True(await Store.DeleteUnusedManifestAsync(Repository, index.Digest, Clock.Now));
        Assert.True(await Store.DeleteUnusedManifestAsync(Repository, child.Digest, Clock.Now));
        Assert.Equal([tagged.Digest], (await Store.ListManifestsAsync(Repository)).Select(m => m.Digest));
    }

    [Fact]
    public async Task TagPut_RacingManifestDelete_NeverLeavesATagOnNothing()
    {
        var manifests = Enumerable.Range(0, 200).Select(i => Manifest($"other {i}")).ToList();
        foreach (var other in manifests)
        {
            await Store.PutManifestAsync(Repository, other, ManifestReferences.None, $"tag-{other.Size}-{other.Digest.EncodedString[..8]}");
        }

        var raced = Manifest("raced");
        for (var round = 0; round < 30; round++)
        {
            await Store.PutManifestAsync(Repository, raced, ManifestReferences.None, tag: null);
            var put = Task.Run(async () => await Store.PutManifestAsync(Repository, raced, ManifestReferences.None, "latest"));
            var delete = Task.Run(async () => await Store.DeleteManifestAsync(Repository, raced.Digest));
            await Task.WhenAll(put, delete);

            if (await Store.ResolveTagAsync(Repository, "latest") is { } tagged)
            {
                Assert.NotNull(await Store.GetManifestAsync(Repository, tagged));
            }
        }
    }

    [Fact]
    public async Task RacingPushes_OfAnImmutableTag_LeaveItOnTheOneThatWon()
    {
        var candidates = Enumerable.Range(0, 8).Select(i => Manifest($"candidate {i}")).ToList();

        var results = await Task.WhenAll(candidates.Select(candidate => Task.Run(async () =>
            await Store.PutManifestAsync(Repository, candidate, ManifestReferences.None, "release", tagIsImmutable: true))));

        var winner = Assert.Single(candidates.Zip(results), c => c.Second.Stored).First;
        Assert.Equal(winner.Digest, await Store.ResolveTagAsync(Repository, "release"));
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
            await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, tag);
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
            await Store.LinkBlobAsync(RepositoryName.Parse(repository), Layer, LayerSize);
        }

        var page = await Store.ListRepositoriesAsync(after, limit);

        Assert.Equal(Split(expected), page.Select(name => name.Value));
    }

    [Fact]
    public async Task NestedRepositories_AreIndependent()
    {
        var manifest = Manifest("nested");
        await Store.PutManifestAsync(RepositoryName.Parse("a/b/c"), manifest, ManifestReferences.None, "latest");

        Assert.False(await Store.RepositoryExistsAsync(RepositoryName.Parse("a")));
        Assert.False(await Store.RepositoryExistsAsync(RepositoryName.Parse("a/b")));
        Assert.True(await Store.RepositoryExistsAsync(RepositoryName.Parse("a/b/c")));
        Assert.Null(await Store.ResolveTagAsync(RepositoryName.Parse("a/b"), "latest"));
        Assert.Equal([RepositoryName.Parse("a/b/c")], await Store.ListRepositoriesAsync(null, 10));

        await Store.PutManifestAsync(RepositoryName.Parse("a/b"), Manifest("parent"), ManifestReferences.None, "parent");
        Assert.Equal(["latest"], await Store.ListTagsAsync(RepositoryName.Parse("a/b/c"), null, 10));
        Assert.Equal(["parent"], await Store.ListTagsAsync(RepositoryName.Parse("a/b"), null, 10));
    }

    [Fact]
    public async Task Repository_StopsExisting_WhenItsLastManifestAndLinkAreDeleted()
    {
        var manifest = Manifest("only");
        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "latest");

        await Store.DeleteManifestAsync(Repository, manifest.Digest);
        Assert.True(await Store.RepositoryExistsAsync(Repository)); // the manifest's own blob stays linked
        await Store.UnlinkBlobAsync(Repository, manifest.Digest);

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
