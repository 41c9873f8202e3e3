using OciRegistry.Core.References;
using System.IO.Pipelines;
using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// The collector marks a blob as being deleted in the metadata store (only when no repository links it), deletes its
/// bytes, then removes the mark; links are refused while the mark stands. Each test puts a push's step at the exact
/// moment of the race: just before the mark, or while the bytes are being deleted.
/// </summary>
public sealed class CollectionRaceTests
{
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task ABlobAMountLinksJustBeforeTheMark_IsKept_AndServable()
    {
        MaintenanceRegistry? registry = null;
        var layer = MaintenanceRegistry.DigestOf("unreferenced layer");
        var metadata = new InterceptedMetadataStore(new InMemoryMetadataStore(_clock), async method =>
        {
            if (method == nameof(IMetadataStore.BeginBlobDeletionAsync))
            {
                Assert.True(await registry!.Metadata.LinkBlobAsync(RepositoryName.Parse("other"), layer)); // a mount's link lands right then
            }
        });
        registry = NewRegistry(metadata).Registry;
        await registry.PushBlobAsync("app", "unreferenced layer");
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Empty(report.DeletedBlobs);
        Assert.Equal(layer, Assert.Single(await registry.StoredBlobsAsync()));
        Assert.True((await registry.BlobOperations.StatAsync("other", layer.ToString())).IsSuccess);
        Assert.Empty(await registry.Metadata.ListBlobDeletionsAsync());
    }

    [Fact]
    public async Task ABlobNobodyLinks_IsMarked_Deleted_AndUnmarked()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "unreferenced layer");
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);
        var markedWhileDeleting = new List<Digest>();
        blobs.BeforeDelete = async digest => markedWhileDeleting.AddRange(await registry.Metadata.ListBlobDeletionsAsync());

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([layer], markedWhileDeleting);
        Assert.Equal(layer, Assert.Single(report.DeletedBlobs).Digest);
        Assert.Empty(await registry.StoredBlobsAsync());
        Assert.Empty(await registry.Metadata.ListBlobDeletionsAsync());
    }

    [Fact]
    public async Task AMount_WhileTheCollectorDeletesTheBytes_IsRefused_SoTheClientUploads()
    {
        var (registry, blobs) = NewRegistry(o => o.MountWithoutFrom = true);
        var layer = await registry.PushBlobAsync("app", "layer");
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);
        RegistryResult<bool>? mounted = null;
        blobs.BeforeDelete = async digest => mounted = await registry.Uploads.MountAsync("other", digest.ToString(), from: null);

        await registry.Collector.CollectAsync();

        Assert.False(mounted!.Value.Value);
        Assert.False(await registry.Metadata.IsBlobLinkedAsync(RepositoryName.Parse("other"), layer));
    }

    [Fact]
    public async Task AReupload_WhileTheCollectorDeletesTheBytes_IsToldToPushAgain_ThenThePushAgainKeepsItsCopy()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "layer");
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);
        RegistryResult<Digest>? during = null;

        // The collector stays inside its deletion for as long as the push waits for it, so the push gives up.
        blobs.BeforeDelete = async digest => during = await PushAsync(registry, "other", "layer");

        await registry.Collector.CollectAsync();
        var again = await PushAsync(registry, "other", "layer");

        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, during!.Value.Error?.Code);
        Assert.True(again.IsSuccess);
        await AssertServedAsync(registry, "other", "layer");
    }

    [Fact]
    public async Task AReupload_StartedWhileTheCollectorDeletesTheBytes_WaitsForTheDeletion_AndKeepsItsCopy()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "layer");
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);
        Task<RegistryResult<Digest>>? push = null;
        blobs.BeforeDelete = digest =>
        {
            push = Task.Run(async () => await PushAsync(registry, "other", "layer"));
            return ValueTask.CompletedTask;
        };

        await registry.Collector.CollectAsync();

        Assert.True((await push!).IsSuccess);
        await AssertServedAsync(registry, "other", "layer");
    }

    [Fact]
    public async Task AManifestPut_WhileTheCollectorDeletesItsBytes_WaitsForTheDeletion_AndWritesThemBack()
    {
        var (registry, blobs) = NewRegistry();
        await registry.PushImageAsync("app", "kept", "config", "layer", "other layer"); // keeps config and layer linked
        var image = await registry.PushImageAsync("app", "v1", "config", "layer");
        var bytes = (await registry.Manifests.GetAsync("app", "v1")).Value.Bytes.ToArray();
        Assert.True(await registry.Metadata.DeleteManifestAsync(RepositoryName.Parse("app"), image));
        await registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), image);
        _clock.Advance(PastGrace);
        Task<RegistryResult<PushedManifest>>? put = null;
        blobs.BeforeDelete = digest =>
        {
            if (digest == image)
            {
                put = Task.Run(async () => await registry.Manifests.PutAsync("app", "v1", MaintenanceRegistry.ImageManifestType, bytes));
            }

            return ValueTask.CompletedTask;
        };

        await registry.Collector.CollectAsync();

        Assert.True((await put!).IsSuccess);
        Assert.True((await registry.Manifests.GetAsync("app", "v1")).IsSuccess);
        Assert.True((await registry.Verifier.VerifyAsync()).IsHealthy);
    }

    private static Task<RegistryResult<Digest>> PushAsync(MaintenanceRegistry registry, string repository, string content) =>
        registry.Uploads.PushAsync(
            repository, MaintenanceRegistry.DigestOf(content).ToString(), PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(content)))).AsTask();

    private static async Task AssertServedAsync(MaintenanceRegistry registry, string repository, string content)
    {
        var served = await registry.BlobOperations.OpenAsync(repository, MaintenanceRegistry.DigestOf(content).ToString());
        Assert.True(served.IsSuccess, served.Error?.Message);
        await using (served.Value)
        {
            Assert.Equal(content, Encoding.UTF8.GetString((await served.Value.ReadAllBytesAsync())!));
        }
    }

    private (MaintenanceRegistry Registry, HookedBlobStore Blobs) NewRegistry(Action<RegistryOptions>? configure = null) =>
        NewRegistry(new InMemoryMetadataStore(_clock), configure);

    private (MaintenanceRegistry Registry, HookedBlobStore Blobs) NewRegistry(IMetadataStore metadata, Action<RegistryOptions>? configure = null)
    {
        var inner = new InMemoryBlobStore(_clock);
        var blobs = new HookedBlobStore(inner);
        return (new MaintenanceRegistry(blobs, new InMemoryUploadStore(inner, _clock), metadata, _clock, configure), blobs);
    }
}
