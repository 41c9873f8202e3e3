using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using OciRegistry.Mirror;
using OciRegistry.Mirror.Eviction;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry evict [--apply]</c>: one mirror eviction by the configured limits (<c>OciRegistry:Mirror:Eviction</c>),
/// what a serving mirror runs every interval. A preview unless <c>--apply</c> is given, as for <c>gc</c>. Safe while
/// serving. Exits <see cref="ExitCodes.Usage"/> when no upstream or no limit is configured, and
/// <see cref="ExitCodes.CollectionRunning"/> when it evicted but another collection holds the collector lease (that
/// collection, or the next, frees the bytes).
/// </summary>
internal static class EvictCommand
{
    public static Command Create() => PreviewUnlessApplied.Create(
        "evict",
        "Evict cached images of the pull-through mirror, least recently pulled first: those not pulled for " +
        "OciRegistry:Mirror:Eviction:MaxAge (e.g. 30.00:00:00), then while the cache is over OciRegistry:Mirror:Eviction:MaxBytes; " +
        "nothing pulled within OciRegistry:Gc:GracePeriod. The upstreams are those of OciRegistry:Mirror:Upstreams.",
        "Evict, then collect the bytes nothing else uses. Without it evict only lists what it would evict.",
        RunAsync);

    private static async Task<int> RunAsync(string[] settings, bool dryRun, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var app = RegistryHost.Build(settings, RegistryHost.Purpose.Maintain);
        await using (app.ConfigureAwait(false))
        {
            if (app.Services.GetService<IMirrorEviction>() is not { } eviction)
            {
                await console.Error.WriteLineAsync(
                    "error: this registry mirrors nothing: configure the upstreams as for serve (--OciRegistry:Mirror:Upstreams:0:Name dockerhub " +
                    "--OciRegistry:Mirror:Upstreams:0:Url https://registry-1.docker.io), so evict knows which repositories are cached.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!app.Services.GetRequiredService<IOptions<MirrorOptions>>().Value.Eviction.IsEnabled)
            {
                await console.Error.WriteLineAsync(
                    "error: no eviction limit is set: give OciRegistry:Mirror:Eviction:MaxAge (e.g. --OciRegistry:Mirror:Eviction:MaxAge 30.00:00:00) " +
                    "or OciRegistry:Mirror:Eviction:MaxBytes (e.g. --OciRegistry:Mirror:Eviction:MaxBytes 500000000000).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var report = await eviction.EvictAsync(dryRun, cancellationToken).ConfigureAwait(false);
            await WriteAsync(report, console.Output).ConfigureAwait(false);
            if (!report.DryRun && report.Images.Count > 0 && report.Collection is null)
            {
                await console.Error.WriteLineAsync(
                    "Another garbage collection is running: the evicted images' bytes are freed by it or by the next 'oci-registry gc --apply'.").ConfigureAwait(false);
                return ExitCodes.CollectionRunning;
            }
        }

        return ExitCodes.Success;
    }

    private static async Task WriteAsync(EvictionReport report, TextWriter output)
    {
        var verb = report.DryRun ? "would evict" : "evicted";
        foreach (var image in report.Images)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{verb} {image.Repository}@{image.Digest} (last pulled {image.LastUsed:u}; {image.Bytes} bytes no other cached image holds)")).ConfigureAwait(false);
        }

        var summary = report.DryRun
            ? $"Dry run: the cache holds {report.CachedBytes} bytes; evicting {report.Images.Count} images would leave {report.RemainingBytes}. Run 'oci-registry evict --apply' to evict."
            : $"Evicted {report.Images.Count} images; the cache held {report.CachedBytes} bytes, {report.RemainingBytes} remain." +
              (report.Collection is { } collection ? $" Freed {collection.BytesFreed} bytes: {collection.DeletedBlobs.Count} blobs." : "");
        await output.WriteLineAsync(summary).ConfigureAwait(false);
    }
}
