using OciRegistry.Core.Maintenance;

namespace OciRegistry.AspNetCore.Ui.Maintenance;

/// <summary>The maintenance page's view of the last runs started from the interface.</summary>
/// <param name="LastPreview">The last collection preview and when it finished.</param>
/// <param name="LastVerify">The last verification and when it finished.</param>
/// <param name="Verifying">True while a verification runs.</param>
/// <param name="VerifyFailure">Why the last verification failed, if it did.</param>
public sealed record MaintenanceStatus(
    (GcReport Report, DateTimeOffset At)? LastPreview,
    (IntegrityReport Report, DateTimeOffset At)? LastVerify,
    bool Verifying,
    string? VerifyFailure);
