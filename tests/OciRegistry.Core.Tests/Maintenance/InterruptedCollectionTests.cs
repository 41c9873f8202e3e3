using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// A collection killed at any step leaves nothing a stored manifest needs removed: the kill is a fault injected through
/// the metadata store the collector uses, at an exact call and every call after it (a killed process makes no more),
/// not a timing. The dead collector's lease runs out, and the next collection runs.
/// </summary>
public sealed class InterruptedCollectionTests
{
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    /// <summary>Every call the collector makes to the metadata store in this scenario, and one past its end.</summary>
    public static TheoryData<int> Steps => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task ACollectionKilledAtAnyStep_WhileAManifestIsPushed_LeavesItsBlobsServable(int killAtCall)
    {
        var blobs = new InMemoryBlobStore(_clock);
        var uploads = new InMemoryUploadStore(blobs, _clock);
        var metadata = new InMemoryMetadataStore(_clock);
        var pusher = new MaintenanceRegistry(blobs, uploads, metadata, _clock);
        await pusher.PushBlobAsync("app", "config");
        await pusher.PushBlobAsync("app", "layer");
        _clock.Advance(PastGrace);
        var calls = 0;
        var pushed = false;
        var killed = new MaintenanceRegistry(blobs, uploads, new InterceptedMetadataStore(metadata, async method =>
        {
            if (!pushed && method == nameof(IMetadataStore.ListBlobLinksAsync))
            {
                // The collector has marked the repository (no manifest yet) and is about to look at its links.
                pushed = true;
                await pusher.PushImageAsync("app", "v1", "config", "layer");
            }

            if (++calls >= killAtCall)
            {
                throw new OperationCanceledException("killed");
            }
        }), _clock);

        try
        {
            await killed.Collector.CollectAsync();
        }
        catch (OperationCanceledException)
        {
            // killed at that call (its release of the lease, in a finally, is killed too)
        }

        if (!pushed)
        {
            await pusher.PushImageAsync("app", "v1", "config", "layer"); // the collection died before the push came
        }

        _clock.Advance(pusher.GcOptions.LeaseDuration); // the dead collector's lease runs out
        await pusher.Collector.CollectAsync(); // the next, complete collection

        Assert.True((await pusher.Manifests.GetAsync("app", "v1")).IsSuccess);
        foreach (var blob in new[] { MaintenanceRegistry.DigestOf("config"), MaintenanceRegistry.DigestOf("layer") })
        {
            Assert.True((await pusher.BlobOperations.StatAsync("app", blob.ToString())).IsSuccess, $"{blob} is not servable");
        }

        Assert.True((await pusher.Verifier.VerifyAsync()).IsHealthy);
    }
}
