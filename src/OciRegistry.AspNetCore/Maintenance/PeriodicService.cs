using Microsoft.Extensions.Hosting;

namespace OciRegistry.AspNetCore.Maintenance;

/// <summary>
/// Runs a maintenance job every <see cref="Interval"/> while the host serves (never, when it is null), on the host's
/// <see cref="TimeProvider"/>; a failed run is reported and the next one comes at the next interval. Cancellation of the stopping token ends
/// the loop quietly.
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
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    ReportFailure(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping (or being disposed without a stop, as after a failed start): not an error, so end
            // quietly instead of handing the host a canceled task to log as a crashed background service.
        }
    }
}
