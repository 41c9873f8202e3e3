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

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) =>
        await collector.CollectAsync(dryRun: false, cancellationToken).ConfigureAwait(false);

    protected override void ReportFailure(Exception exception) => Log.CollectionFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Scheduled garbage collection failed; the next run is at the next interval")]
        public static partial void CollectionFailed(ILogger logger, Exception exception);
    }
}
