using OciRegistry.Core.InMemory;

namespace OciRegistry.Core.Tests.Maintenance;

public sealed class ConcurrentCollectionTests
{
    [Fact]
    public Task PushesRacingCollections_NeverLeaveAManifestWithMissingBlobs_InMemory()
    {
        var blobs = new InMemoryBlobStore();
        var registry = new MaintenanceRegistry(blobs, new InMemoryUploadStore(blobs), InterceptedMetadataStore.Yielding(new InMemoryMetadataStore()), TimeProvider.System);
        return ConcurrentCollectionScenario.RunAsync(registry, pushers: 4, rounds: 80);
    }
}
