using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

// GetTaggedManifestAsync: the pull of a tag in one read, the same record as ResolveTagAsync then GetManifestAsync.
public abstract partial class MetadataStoreContract
{
    [Fact]
    public async Task GetTaggedManifest_IsTheRecordTheTagPointsAt_WithEverythingThePusherGave()
    {
        var subject = Manifest("subject");
        var manifest = Manifest("signature", subject.Digest, "application/vnd.example.sig", new Dictionary<string, string> { ["org.example"] = "yes" })
            with { ReferencedSize = 4242, Platforms = ["linux/amd64", "linux/arm64/v8"] };
        await Store.PutManifestAsync(Repository, subject, ManifestReferences.None, "base");
        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "v1");

        var tagged = await Store.GetTaggedManifestAsync(Repository, "v1");

        AssertSame(manifest, tagged);
        Assert.Equal(Clock.Now, tagged!.PushedAt);
        AssertSame(subject, await Store.GetTaggedManifestAsync(Repository, "base"));
    }

    [Fact]
    public async Task GetTaggedManifest_IsNull_ForATagThatIsNotThere()
    {
        var manifest = Manifest("one");
        var kept = Manifest("kept");
        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "gone");
        await Store.PutManifestAsync(Repository, manifest, ManifestReferences.None, "untagged");
        await Store.PutManifestAsync(Repository, kept, ManifestReferences.None, "deleted-with-its-manifest");

        Assert.True(await Store.DeleteTagAsync(Repository, "untagged"));
        Assert.True(await Store.DeleteManifestAsync(Repository, kept.Digest));

        Assert.Null(await Store.GetTaggedManifestAsync(Repository, "untagged"));
        Assert.Null(await Store.GetTaggedManifestAsync(Repository, "deleted-with-its-manifest"));
        Assert.Null(await Store.GetTaggedManifestAsync(Repository, "never"));
        Assert.Null(await Store.GetTaggedManifestAsync(RepositoryName.Parse("other"), "gone"));
        AssertSame(manifest, await Store.GetTaggedManifestAsync(Repository, "gone"));
    }
}
