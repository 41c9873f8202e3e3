using OciRegistry.Core.Maintenance;

namespace OciRegistry.Server;

/// <summary>
/// <c>oci-registry gc [--dry-run]</c> and <c>oci-registry verify [--quarantine]</c>: run once over the storage the
/// server is configured with (same appsettings, environment and command-line settings as <c>serve</c>), print what
/// they found, and exit. Safe to run while the server is serving.
/// </summary>
internal static class MaintenanceCommands
{
    public static async Task<int> CollectGarbageAsync(string[] args, TextWriter output)
    {
        var dryRun = args.Contains("--dry-run");
        await using var app = RegistryHost.Build(WithoutFlags(args));
        var report = await app.Services.GetRequiredService<GarbageCollector>().CollectAsync(dryRun).ConfigureAwait(false);
        var verb = report.DryRun ? "would delete" : "deleted";
        foreach (var tag in report.DeletedTags)
        {
            await output.WriteLineAsync($"{verb} tag {tag.Repository}:{tag.Tag}").ConfigureAwait(false);
        }

        foreach (var manifest in report.DeletedManifests)
        {
            await output.WriteLineAsync($"{verb} manifest {manifest.Repository}@{manifest.Digest}").ConfigureAwait(false);
        }

        foreach (var link in report.UnlinkedBlobs)
        {
            await output.WriteLineAsync($"{verb} blob link {link.Repository}@{link.Digest}").ConfigureAwait(false);
        }

        foreach (var blob in report.DeletedBlobs)
        {
            await output.WriteLineAsync($"{verb} blob {blob.Digest} ({blob.Size} bytes)").ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"{(report.DryRun ? "Dry run: would free" : "Freed")} {report.BytesFreed} bytes: {report.DeletedBlobs.Count} blobs, " +
            $"{report.DeletedManifests.Count} manifests, {report.DeletedTags.Count} tags, {report.ExpiredUploads} expired uploads.").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> VerifyAsync(string[] args, TextWriter output)
    {
        var quarantine = args.Contains("--quarantine");
        await using var app = RegistryHost.Build(WithoutFlags(args));
        var report = await app.Services.GetRequiredService<IntegrityVerifier>().VerifyAsync(quarantine).ConfigureAwait(false);
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
        return report.IsHealthy ? 0 : 1;
    }

    private static string[] WithoutFlags(string[] args) => args.Where(a => a is not ("--dry-run" or "--quarantine")).ToArray();
}
