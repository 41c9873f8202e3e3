using OciRegistry.Core.Tests.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Storage.Tests.Maintenance;

public sealed class FileSystemGarbageCollectionTests : IDisposable
{
    private readonly FileSystemRegistryFolder _folder = new();

    [Fact]
    public async Task Deletes_TheFilesOfAnUntaggedImage_AndKeepsSharedLayers()
    {
        var registry = _folder.Registry;
        registry.GcOptions.GracePeriod = TimeSpan.Zero;
        registry.GcOptions.DeleteUntaggedManifests = true;
        var kept = await registry.PushImageAsync("app", "v1", "config-1", "shared", "only-v1");
        var dropped = await registry.PushImageAsync("app", "v2", "config-2", "shared", "only-v2");
        Assert.True((await registry.Manifests.DeleteAsync("app", "v2")).Value);

        var report = await registry.Collector.CollectAsync();

        var gone = new[] { dropped, DigestOf("config-2"), DigestOf("only-v2") };
        Assert.Equal(gone.Order(), report.DeletedBlobs.Select(b => b.Digest).Order());
        Assert.All(gone, d => Assert.False(File.Exists(_folder.BlobFile(d))));
        Assert.All(new[] { kept, DigestOf("config-1"), DigestOf("shared"), DigestOf("only-v1") }, d => Assert.True(File.Exists(_folder.BlobFile(d))));
        Assert.True((await registry.Manifests.GetAsync("app", "v1")).IsSuccess);
    }

    [Fact]
    public Task PushesRacingCollections_NeverLeaveAManifestWithMissingBlobs_OnFiles() =>
        ConcurrentCollectionScenario.RunAsync(_folder.Registry, pushers: 3, rounds: 25);

    public void Dispose() => _folder.Dispose();
}
