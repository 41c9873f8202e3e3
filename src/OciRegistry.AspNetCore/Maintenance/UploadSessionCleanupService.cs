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
    ILogger<UploadSessionCleanupService> logger) : PeriodicService(time)
{
    protected override TimeSpan? Interval => options.Value.UploadSessionCleanupInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var purged = await uploads.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
        await owners.PruneAsync(cancellationToken).ConfigureAwait(false);
        Log.Purged(logger, purged);
    }

    protected override void ReportFailure(Exception exception) => Log.PurgeFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 130, Level = LogLevel.Debug, Message = "Removed {Count} expired upload sessions")]
        public static partial void Purged(ILogger logger, int count);

        [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "Removing expired upload sessions failed; the next try is at the next interval")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}
