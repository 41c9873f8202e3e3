using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OciRegistry.Mirror.Eviction;

/// <summary>Runs <see cref="IMirrorEviction"/> every <see cref="EvictionOptions.Interval"/> while the host serves, when a limit is set.</summary>
internal sealed partial class MirrorEvictionService(
    IMirrorEviction eviction,
    IOptions<MirrorOptions> options,
    TimeProvider time,
    ILogger<MirrorEvictionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limits = options.Value.Eviction;
        if (!limits.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(limits.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await eviction.EvictAsync(dryRun: false, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.Failed(logger, failure);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: not a failure.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Error, "Mirror eviction failed; the next run is at the next interval")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
