using System.CommandLine;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry gc [--apply]</c>: one garbage collection over the configured storage. A dry run (report only)
/// unless <c>--apply</c> is given, so neither a typo nor <c>--help</c> can delete anything. Safe while serving. Exits
/// <see cref="ExitCodes.CollectionRunning"/> when another collection holds the collector lease.
/// </summary>
internal static class GcCommand
{
    public static Command Create() => PreviewUnlessApplied.Create(
        "gc",
        "Find manifests and blobs no tag reaches (grace period OciRegistry:Gc:GracePeriod, default 1 hour; " +
        "OciRegistry:Gc:DeleteUntaggedManifests; OciRegistry:Gc:Retention:0:TagPattern / :KeepLast) and, with --apply, delete them.",
        "Delete what is unreachable. Without it gc only reports what it would delete.",
        RunAsync);

    private static async Task<int> RunAsync(string[] settings, bool dryRun, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var app = RegistryHost.Build(settings, RegistryHost.Purpose.Maintain);
        await using (app.ConfigureAwait(false))
        {
            GcReport report;
            try
            {
                report = await app.Services.GetRequiredService<GarbageCollector>().CollectAsync(dryRun, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectionInProgressException busy)
            {
                await console.Error.WriteLineAsync(
                    $"{busy.Message} Nothing was deleted; run gc again when it has finished (a collection that was killed holds its lease until OciRegistry:Gc:LeaseDuration has passed).").ConfigureAwait(false);
                return ExitCodes.CollectionRunning;
            }

            await WriteAsync(report, console.Output).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task WriteAsync(GcReport report, TextWriter output)
    {
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
            $"{report.DeletedManifests.Count} manifests, {report.DeletedTags.Count} tags, {report.ExpiredUploads} expired uploads." +
            (report.DryRun ? " Run 'oci-registry gc --apply' to delete." : "")).ConfigureAwait(false);
    }
}
