using OciRegistry.Core.References;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// Two collectors, each over its own instance of one metadata store (two objects on one SQLite file, two connection
/// pools on one PostgreSQL database, or one in-memory store), with the store's clock: one collection runs at a time,
/// and a killed collector's lease runs out so the next one runs. No timing: the first collector is held inside its
/// collection by a hook, and killed by faults injected through its store. Shared with the storage tests.
/// </summary>
internal static class TwoCollectorsScenario
{
    /// <summary>While the first collects, the second is refused (a dry run is not); once it has finished, the second runs.</summary>
    public static async Task OneCollectsAtATimeAsync(IMetadataStore first, IMetadataStore second, ManualClock clock)
    {
        var blobs = new InMemoryBlobStore(clock);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Registry(new InterceptedMetadataStore(first, async method =>
        {
            if (method == nameof(IMetadataStore.ListRepositoriesAsync) && !inside.Task.IsCompleted)
            {
                inside.SetResult();
                await release.Task;
            }
        }), blobs, clock);
        var other = Registry(second, blobs, clock);
        await other.PushBlobAsync("app", "unreferenced");
        await other.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), MaintenanceRegistry.DigestOf("unreferenced"));
        clock.Advance(GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1));

        var collecting = Task.Run(async () => await held.Collector.CollectAsync());
        await inside.Task;
        await Assert.ThrowsAsync<CollectionInProgressException>(() => other.Collector.CollectAsync());
        Assert.Single((await other.Collector.CollectAsync(dryRun: true)).DeletedBlobs);
        release.SetResult();

        Assert.Single((await collecting).DeletedBlobs);
        Assert.Empty((await other.Collector.CollectAsync()).DeletedBlobs);
    }

    /// <summary>A collector killed mid-collection keeps its lease until it runs out; then the other one collects.</summary>
    public static async Task AKilledCollectorsLeaseRunsOutAsync(IMetadataStore first, IMetadataStore second, ManualClock clock)
    {
        var blobs = new InMemoryBlobStore(clock);
        var killed = Registry(new InterceptedMetadataStore(first, method =>
            method == nameof(IMetadataStore.TryAcquireCollectorLeaseAsync) ? ValueTask.CompletedTask : throw new OperationCanceledException("killed")), blobs, clock);
        var other = Registry(second, blobs, clock);

        await Assert.ThrowsAsync<OperationCanceledException>(() => killed.Collector.CollectAsync());
        await Assert.ThrowsAsync<CollectionInProgressException>(() => other.Collector.CollectAsync());
        clock.Advance(other.GcOptions.LeaseDuration - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<CollectionInProgressException>(() => other.Collector.CollectAsync());
        clock.Advance(TimeSpan.FromSeconds(1));

        await other.Collector.CollectAsync();
    }

    private static MaintenanceRegistry Registry(IMetadataStore metadata, InMemoryBlobStore blobs, ManualClock clock) =>
        new(blobs, new InMemoryUploadStore(blobs, clock), metadata, clock);
}
