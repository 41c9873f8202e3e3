using OciRegistry.Core.Errors;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// Pushers (images with a shared base layer and fresh layers, moving tags, referrers, indexes) race a collector that
/// collects continuously with no grace period; afterwards every manifest, tag and referenced blob must be servable.
/// Shared with the file-system tests.
/// </summary>
internal static class ConcurrentCollectionScenario
{
    /// <summary>Each pusher pushes <paramref name="rounds"/> times, never more than two rounds ahead of the collector's runs.</summary>
    public static async Task RunAsync(MaintenanceRegistry registry, int pushers, int rounds)
    {
        registry.GcOptions.GracePeriod = TimeSpan.Zero;
        registry.GcOptions.DeleteUntaggedManifests = true;
        await registry.PushImageAsync("app0", "base", "base-config", "base-layer");
        await registry.PushImageAsync("app1", "base", "base-config", "base-layer");

        using var stop = new CancellationTokenSource();
        var progress = new CollectorProgress();
        var collect = Task.Run(() => CollectUntilStoppedAsync(registry, progress, stop.Token));
        var pushTasks = Enumerable.Range(0, pushers).Select(p => Task.Run(() => PushRoundsAsync(registry, p, rounds, progress))).ToArray();
        int[] succeeded;
        try
        {
            succeeded = await Task.WhenAll(pushTasks);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var (runs, blobsDeleted) = await collect;
        Assert.True(succeeded.Sum() > 0, "no push succeeded");
        Assert.True(runs >= rounds - 2, "the collector did not run during the pushes");
        Assert.True(blobsDeleted > 0, "the collector never deleted anything, so it raced nothing");
        await AssertEverythingServableAsync(registry);
    }

    private static async Task<int> PushRoundsAsync(MaintenanceRegistry registry, int pusher, int rounds, CollectorProgress progress)
    {
        var succeeded = 0;
        for (var round = 0; round < rounds; round++)
        {
            await progress.WaitForRunsAsync(round - 2);
            var repository = $"app{(pusher + round) % 2}";
            var unique = $"p{pusher}-r{round}-{Guid.NewGuid():N}";
            try
            {
                var image = await registry.PushImageAsync(repository, $"t{round % 3}", "config-" + unique, "base-layer", "layer-" + unique);
                if (round % 4 == 0)
                {
                    await registry.PushReferrerAsync(repository, image, "signature-" + unique);
                }

                if (round % 5 == 0)
                {
                    await registry.PushIndexAsync(repository, "multi", image);
                }

                succeeded++;
            }
            catch (InvalidOperationException e) when (IsRaceLoss(e))
            {
                // The collector removed something this push needed before the manifest made it reachable: the push is
                // refused (a client retries it), never accepted with missing blobs.
            }
        }

        return succeeded;
    }

    private static bool IsRaceLoss(InvalidOperationException e) =>
        e.Message.StartsWith(nameof(RegistryErrorCode.ManifestBlobUnknown), StringComparison.Ordinal)
        || e.Message.Contains(" is not in ", StringComparison.Ordinal);

    private static async Task<(int Runs, int BlobsDeleted)> CollectUntilStoppedAsync(MaintenanceRegistry registry, CollectorProgress progress, CancellationToken stop)
    {
        var deleted = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                deleted += (await registry.Collector.CollectAsync()).DeletedBlobs.Count;
            }
            catch (Exception e)
            {
                progress.Failed(e);
                throw;
            }

            progress.Ran();
        }

        return (progress.Runs, deleted);
    }

    private sealed class CollectorProgress
    {
        private readonly Lock _lock = new();
        private int _runs;
        private TaskCompletionSource _nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs
        {
            get
            {
                lock (_lock)
                {
                    return _runs;
                }
            }
        }

        public void Ran()
        {
            TaskCompletionSource finished;
            lock (_lock)
            {
                _runs++;
                finished = _nextRun;
                _nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            finished.TrySetResult();
        }

        public void Failed(Exception error)
        {
            lock (_lock)
            {
                _nextRun.TrySetException(error);
            }
        }

        public async Task WaitForRunsAsync(int runs)
        {
            while (true)
            {
                Task next;
                lock (_lock)
                {
                    if (_runs >= runs)
                    {
                        return;
                    }

                    next = _nextRun.Task;
                }

                await next;
            }
        }
    }

    private static async Task AssertEverythingServableAsync(MaintenanceRegistry registry)
    {
        var verification = await registry.Verifier.VerifyAsync();
        Assert.True(verification.IsHealthy, string.Join("; ", verification.MissingReferences));

        foreach (var repository in await registry.Metadata.ListRepositoriesAsync(null, 100))
        {
            foreach (var record in await registry.Metadata.ListManifestsAsync(repository))
            {
                var manifest = await registry.Manifests.GetAsync(repository.Value, record.Digest.ToString());
                Assert.True(manifest.IsSuccess, $"{repository}@{record.Digest}: {manifest.Error?.Message}");
                var parsed = Core.Manifests.ManifestParser.Parse(manifest.Value.Bytes, record.MediaType).Value;
                foreach (var (descriptor, kind) in parsed.References)
                {
                    var served = kind switch
                    {
                        Core.Manifests.ReferenceKind.Config or Core.Manifests.ReferenceKind.Layer =>
                            (await registry.BlobOperations.StatAsync(repository.Value, descriptor.Digest.ToString())).IsSuccess,
                        Core.Manifests.ReferenceKind.Manifest =>
                            (await registry.Manifests.GetAsync(repository.Value, descriptor.Digest.ToString())).IsSuccess,
                        _ => true,
                    };
                    Assert.True(served, $"{repository}@{record.Digest} references {kind} {descriptor.Digest}, which is not served");
                }
            }

            foreach (var (tag, _, _) in await registry.Metadata.GetTagsAsync(repository))
            {
                Assert.True((await registry.Manifests.GetAsync(repository.Value, tag)).IsSuccess, $"{repository}:{tag} does not resolve");
            }
        }
    }
}
