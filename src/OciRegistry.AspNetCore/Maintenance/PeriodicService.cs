using Microsoft.Extensions.Hosting;

namespace OciRegistry.AspNetCore.Maintenance;

/// <summary>
/// Runs a maintenance job every <see cref="Interval"/> while the host serves (never, when it is null), on the host's
/// <see cref="TimeProvider"/>; a failed run is reported and the next one comes at the next interval.
/// </summary>
internal abstract class PeriodicService(TimeProvider time) : BackgroundService
{
    protected abstract TimeSpan? Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected abstract void ReportFailure(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportFailure(e);
            }
        }
    }
}
