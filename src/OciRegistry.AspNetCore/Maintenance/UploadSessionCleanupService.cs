using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Endpoints;
using OciRegistry.Core.Operations;

namespace OciRegistry.AspNetCore.Maintenance;

/// <summary>
/// Removes upload sessions older than <see cref="RegistryOptions.UploadSessionLifetime"/> every
/// <see cref="RegistryOptions.UploadSessionCleanupInterval"/> (hourly by default), so abandoned pushes give back their
/// space and their places under the session limits without anyone scheduling garbage collection.
/// </summary>
internal sealed partial class UploadSessionCleanupService(
    UploadOperations uploads,
    UploadSessionOwners owners,
    IOptions<RegistryOptions> options,
    TimeProvider time,
    ILogger<UploadSessionCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.UploadSessionCleanupInterval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var purged = await uploads.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                await owners.PruneAsync(stoppingToken).ConfigureAwait(false);
                Log.Purged(logger, purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.PurgeFailed(logger, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 130, Level = LogLevel.Debug, Message = "Removed {Count} expired upload sessions")]
        public static partial void Purged(ILogger logger, int count);

        [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "Removing expired upload sessions failed; the next try is at the next interval")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}
