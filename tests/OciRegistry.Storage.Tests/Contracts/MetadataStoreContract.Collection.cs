using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>The collection state: the collector lease and the marks of blobs being deleted, seen from two instances.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task CollectorLease_HasOneHolder_WhoRenewsIt_AndIsTakenOverOnlyOnceItRunsOut()
    {
        var other = CreateStore(Clock);

        Assert.True(await Store.TryAcquireCollectorLeaseAsync("first", LeaseDuration));
        Assert.False(await other.TryAcquireCollectorLeaseAsync("second", LeaseDuration));
        Clock.Advance(LeaseDuration / 2);
        Assert.True(await Store.TryAcquireCollectorLeaseAsync("first", LeaseDuration)); // renewed: runs out later
        Clock.Advance(LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.False(await other.TryAcquireCollectorLeaseAsync("second", LeaseDuration));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await other.TryAcquireCollectorLeaseAsync("second", LeaseDuration));
        Assert.False(await Store.TryAcquireCollectorLeaseAsync("first", LeaseDuration)); // the first lost it
    }

    [Fact]
    public async Task CollectorLease_Released_CanBeTakenAtOnce_AndAReleaseByAnotherHolderChangesNothing()
    {
        var other = CreateStore(Clock);
        Assert.True(await Store.TryAcquireCollectorLeaseAsync("first", LeaseDuration));

        await other.ReleaseCollectorLeaseAsync("second");
        Assert.False(await other.TryAcquireCollectorLeaseAsync("second", LeaseDuration));
        await Store.ReleaseCollectorLeaseAsync("first");

        Assert.True(await other.TryAcquireCollectorLeaseAsync("second", LeaseDuration));
    }

    [Fact]
    public async Task BlobDeletion_IsRefused_WhileAnyRepositoryLinksTheBlob()
    {
        await Store.LinkBlobAsync(RepositoryName.Parse("other/repository"), Layer);

        Assert.False(await Store.BeginBlobDeletionAsync(Layer));
        Assert.Empty(await Store.ListBlobDeletionsAsync());
    }

    [Fact]
    public async Task WhileACollectorHoldsTheLease_AMarkedBlob_CannotBeLinked_NorAManifestStoredUnderIt_UntilTheMarkEnds()
    {
        var other = CreateStore(Clock);
        var manifest = Manifest("being deleted");
        Assert.True(await Store.TryAcquireCollectorLeaseAsync("collector", LeaseDuration));
        Assert.True(await Store.BeginBlobDeletionAsync(Layer));
        Assert.True(await Store.BeginBlobDeletionAsync(manifest.Digest));
        Assert.True(await Store.BeginBlobDeletionAsync(Layer)); // marked already: resumable

        Assert.False(await other.LinkBlobAsync(Repository, Layer));
        Assert.Equal(ManifestPutStatus.BlobDeleting, (await other.PutManifestAsync(Repository, manifest, ManifestReferences.None, "v1")).Status);
        Assert.False(await other.IsBlobLinkedAsync(Repository, Layer));
        Assert.Null(await other.GetManifestAsync(Repository, manifest.Digest));
        Assert.Equal(new[] { Layer, manifest.Digest }.Order(), await other.ListBlobDeletionsAsync());

        await Store.EndBlobDeletionAsync(Layer);
        await Store.EndBlobDeletionAsync(manifest.Digest);

        Assert.True(await other.LinkBlobAsync(Repository, Layer));
        Assert.True((await other.PutManifestAsync(Repository, manifest, ManifestReferences.None, "v1")).Stored);
        Assert.Empty(await Store.ListBlobDeletionsAsync());
    }

    [Fact]
    public async Task AMarkNoLiveLeaseProtects_IsRolledBackByTheNextLink()
    {
        var other = CreateStore(Clock);
        Assert.True(await Store.TryAcquireCollectorLeaseAsync("killed collector", LeaseDuration));
        Assert.True(await Store.BeginBlobDeletionAsync(Layer));
        Clock.Advance(LeaseDuration);

        Assert.True(await other.LinkBlobAsync(Repository, Layer));

        Assert.Empty(await Store.ListBlobDeletionsAsync());
        Assert.False(await Store.BeginBlobDeletionAsync(Layer));
    }
}
