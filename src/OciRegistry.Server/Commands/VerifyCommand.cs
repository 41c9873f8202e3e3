using System.CommandLine;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry verify [--quarantine] [--repair]</c>: re-hashes every blob and checks every tag, manifest reference and
/// link; <c>--repair</c> puts back what can be put back. Exits <see cref="ExitCodes.Failure"/> when anything is corrupt,
/// or missing and not repaired; refuses a storage path that does not exist.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var quarantine = new Option<bool>("--quarantine")
        {
            Description = "Delete corrupt blobs (clients can then push them again). Without it verify only reports.",
        };
        var verify = new Command(
            "verify",
            "Re-hash every blob and check every tag, manifest reference and link; exit code 1 when anything is corrupt, or missing and not repaired." +
            Environment.NewLine + ConfigurationArguments.HelpText)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var repair = new Option<bool>("--repair")
        {
            Description = "Put back what can be: link again a referenced blob whose intact bytes are stored, store again a missing manifest " +
                "whose bytes are stored, remove a tag whose manifest cannot be restored. What cannot be repaired is reported.",
        };
        verify.Add(quarantine);
        verify.Add(repair);
        verify.SetAction((parsed, cancellationToken) =>
            RunAsync(ConfigurationArguments.Of(parsed), parsed.GetValue(quarantine), parsed.GetValue(repair), parsed.InvocationConfiguration, cancellationToken));
        return verify;
    }

    private static async Task<int> RunAsync(string[] settings, bool quarantine, bool repair, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var app = RegistryHost.Build(settings, RegistryHost.Purpose.Maintain);
        await using (app.ConfigureAwait(false))
        {
            var report = await app.Services.GetRequiredService<IntegrityVerifier>().VerifyAsync(quarantine, repair, cancellationToken).ConfigureAwait(false);
            await WriteAsync(report, console.Output).ConfigureAwait(false);
            return report.IsHealthy ? ExitCodes.Success : ExitCodes.Failure;
        }
    }

    private static async Task WriteAsync(IntegrityReport report, TextWriter output)
    {
        foreach (var corrupt in report.CorruptBlobs)
        {
            var action = corrupt.Quarantined ? "quarantined" : "kept";
            await output.WriteLineAsync($"corrupt blob {corrupt.Digest}: content hashes to {corrupt.Actual} ({action})").ConfigureAwait(false);
        }

        foreach (var missing in report.MissingReferences)
        {
            var what = missing.Tag is { } tag
                ? $"missing manifest {missing.Missing} of tag {missing.Repository}:{tag}"
                : $"missing {missing.Missing} referenced by {missing.Repository}@{missing.Manifest}";
            var done = missing.Repair switch
            {
                RepairOutcome.Relinked => " (repaired: linked again)",
                RepairOutcome.RestoredManifest => " (repaired: manifest stored again)",
                RepairOutcome.RemovedTag => " (repaired: tag removed, its manifest cannot be restored)",
                _ => report.Repair ? " (cannot be repaired)" : "",
            };
            await output.WriteLineAsync(what + done).ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"Checked {report.BlobsChecked} blobs ({report.BytesChecked} bytes): {report.CorruptBlobs.Count} corrupt, {report.MissingReferences.Count} missing references" +
            (report.Repair ? $", {report.MissingReferences.Count(m => m.Repair != RepairOutcome.None)} repaired." : ".")).ConfigureAwait(false);
    }
}
