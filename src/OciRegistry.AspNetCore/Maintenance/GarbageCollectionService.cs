using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.AspNetCore.Maintenance;

/// <summary>
/// Runs <see cref="GarbageCollector"/> every <see cref="GarbageCollectionOptions.Interval"/> while the host serves
/// requests (which also removes expired upload sessions). Does nothing when no interval is configured (the default).
/// </summary>
internal sealed partial class GarbageCollectionService(
    GarbageCollector collector,
    IOptions<GarbageCollectionOptions> options,
    TimeProvider time,
    ILogger<GarbageCollectionService> logger) : PeriodicService(time)
{
    protected override TimeSpan? Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await collector.CollectAsync(dryRun: false, cancellationToken).ConfigureAwait(false);
        }
        catch (CollectionInProgressException busy)
        {
            // Another instance (or an `oci-registry gc`) is collecting the same storage: nothing to do this time.
            Log.CollectionSkipped(logger, busy.Message);
        }
    }

    protected override void ReportFailure(Exception exception) => Log.CollectionFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Scheduled garbage collection failed; the next run is at the next interval")]
        public static partial void CollectionFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Scheduled garbage collection skipped: {Reason}")]
        public static partial void CollectionSkipped(ILogger logger, string reason);
    }
}
