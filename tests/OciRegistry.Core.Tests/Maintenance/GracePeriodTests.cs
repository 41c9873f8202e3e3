using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// The grace period counts from when a repository last got a blob (upload, re-upload, mount), not from when its bytes
/// were first stored: a blob stored long ago that a repository gets right before a collection survives it, and the
/// manifest pushed right after is accepted.
/// </summary>
public sealed class GracePeriodTests
{
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task ContentReuploadedRightBeforeACollection_SurvivesIt()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        await registry.PushBlobAsync("old", "config");
        await registry.PushBlobAsync("old", "layer");
        _clock.Advance(PastGrace);
        await registry.PushBlobAsync("app", "config"); // the store has it already: only the link is new
        await registry.PushBlobAsync("app", "layer");

        await registry.Collector.CollectAsync();

        await PushImageOverLinkedBlobsAsync(registry, "app");
    }

    [Fact]
    public async Task BlobsMountedRightBeforeACollection_SurviveIt()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        var config = await registry.PushBlobAsync("old", "config");
        var layer = await registry.PushBlobAsync("old", "layer");
        _clock.Advance(PastGrace);
        Assert.True((await registry.Uploads.MountAsync("app", config.ToString(), "old")).Value);
        Assert.True((await registry.Uploads.MountAsync("app", layer.ToString(), "old")).Value);

        await registry.Collector.CollectAsync();

        await PushImageOverLinkedBlobsAsync(registry, "app");
    }

    private static async Task PushImageOverLinkedBlobsAsync(MaintenanceRegistry registry, string repository)
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{ImageManifestType}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf("config")}}","size":6},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{DigestOf("layer")}}","size":5}]}
            """;
        var pushed = await registry.Manifests.PutAsync(repository, "v1", ImageManifestType, Encoding.UTF8.GetBytes(json));
        Assert.True(pushed.IsSuccess, pushed.Error?.Message);
        foreach (var blob in new[] { DigestOf("config"), DigestOf("layer") })
        {
            Assert.True((await registry.BlobOperations.StatAsync(repository, blob.ToString())).IsSuccess, $"{blob} is not servable");
        }
    }
}
