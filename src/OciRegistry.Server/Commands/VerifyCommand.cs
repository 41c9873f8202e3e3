using System.CommandLine;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry verify [--quarantine]</c>: re-hashes every blob and checks every manifest's references. Exits
/// <see cref="ExitCodes.Failure"/> when anything is corrupt or missing; refuses a storage path that does not exist.
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
            "Re-hash every blob and check every manifest's references; exit code 1 when anything is corrupt or missing." +
            Environment.NewLine + ConfigurationArguments.HelpText)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        verify.Add(quarantine);
        verify.SetAction((parsed, cancellationToken) =>
            RunAsync(ConfigurationArguments.Of(parsed), parsed.GetValue(quarantine), parsed.InvocationConfiguration, cancellationToken));
        return verify;
    }

    private static async Task<int> RunAsync(string[] settings, bool quarantine, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        if (!RegistryHost.TryBuild(settings, RegistryHost.Purpose.Maintain, console.Error, out var app))
        {
            return ExitCodes.Usage;
        }

        await using (app.ConfigureAwait(false))
        {
            var report = await app.Services.GetRequiredService<IntegrityVerifier>().VerifyAsync(quarantine, cancellationToken).ConfigureAwait(false);
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
            await output.WriteLineAsync($"missing {missing.Missing} referenced by {missing.Repository}@{missing.Manifest}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"Checked {report.BlobsChecked} blobs ({report.BytesChecked} bytes): {report.CorruptBlobs.Count} corrupt, {report.MissingReferences.Count} missing references.").ConfigureAwait(false);
    }
}
