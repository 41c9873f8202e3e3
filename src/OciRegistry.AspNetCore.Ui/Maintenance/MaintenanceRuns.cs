using Microsoft.Extensions.Hosting;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.AspNetCore.Ui.Maintenance;

/// <summary>
/// The collection previews and verifications started from the pages, and their last results (kept in memory: they
/// describe this process's last look, and a restart is a good moment to look again).
/// </summary>
internal sealed class MaintenanceRuns(GarbageCollector collector, IntegrityVerifier verifier, TimeProvider time, IHostApplicationLifetime lifetime)
{
    private readonly Lock _lock = new();
    private Task? _verifying;

    /// <summary>The last collection preview and when it finished.</summary>
    public (GcReport Report, DateTimeOffset At)? LastPreview { get; private set; }

    /// <summary>The last verification and when it finished.</summary>
    public (IntegrityReport Report, DateTimeOffset At)? LastVerify { get; private set; }

    /// <summary>The last verification's failure, if it failed.</summary>
    public string? VerifyFailure { get; private set; }

    /// <summary>True while a verification runs.</summary>
    public bool Verifying
    {
        get
        {
            lock (_lock)
            {
                return _verifying is { IsCompleted: false };
            }
        }
    }

    /// <summary>What the maintenance page shows.</summary>
    public MaintenanceStatus Status => new(LastPreview, LastVerify, Verifying, VerifyFailure);

    /// <summary>Runs a dry-run collection (nothing is deleted) and keeps its report.</summary>
    public async Task PreviewCollectionAsync(CancellationToken cancellationToken)
    {
        var report = await collector.CollectAsync(dryRun: true, cancellationToken).ConfigureAwait(false);
        LastPreview = (report, time.GetUtcNow());
    }

    /// <summary>
    /// Starts re-hashing every blob in the background (it reads all of storage, so no request waits for it);
    /// false when one is already running.
    /// </summary>
    public bool StartVerify()
    {
        lock (_lock)
        {
            if (_verifying is { IsCompleted: false })
            {
                return false;
            }

            _verifying = Task.Run(VerifyAsync);
            return true;
        }
    }

    private async Task VerifyAsync()
    {
        try
        {
            var report = await verifier.VerifyAsync(quarantine: false, cancellationToken: lifetime.ApplicationStopping).ConfigureAwait(false);
            LastVerify = (report, time.GetUtcNow());
            VerifyFailure = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            VerifyFailure = e.Message;
        }
    }
}
