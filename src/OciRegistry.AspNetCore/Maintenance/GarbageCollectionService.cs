using Microsoft.Extensions.Hosting;
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
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await collector.CollectAsync(dryRun: false, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.CollectionFailed(logger, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Scheduled garbage collection failed; the next run is at the next interval")]
        public static partial void CollectionFailed(ILogger logger, Exception exception);
    }
}
