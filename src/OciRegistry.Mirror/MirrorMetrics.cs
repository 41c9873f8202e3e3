using System.Diagnostics.Metrics;
using OciRegistry.Core.Observability;

namespace OciRegistry.Mirror;

/// <summary>
/// The mirror's instruments, on the registry's meter (<see cref="RegistryMetrics.MeterName"/>):
/// <list type="table">
/// <item><term><c>ociregistry.mirror.hits</c></term><description>tag pulls answered without fetching (checked recently, or unchanged upstream).</description></item>
/// <item><term><c>ociregistry.mirror.misses</c></term><description>manifests and blobs fetched from an upstream, tagged <c>kind</c>.</description></item>
/// <item><term><c>ociregistry.mirror.coalesced</c></term><description>blob requests that joined a fetch already running instead of starting one.</description></item>
/// <item><term><c>ociregistry.mirror.stale_serves</c></term><description>tags served from the cache because the upstream was down or rate-limiting.</description></item>
/// <item><term><c>ociregistry.mirror.verification_failures</c></term><description>fetched blobs discarded because their bytes did not match their digest.</description></item>
/// <item><term><c>ociregistry.mirror.upstream.bytes</c></term><description>bytes received from upstreams, tagged <c>upstream</c>.</description></item>
/// <item><term><c>ociregistry.mirror.upstream.duration</c></term><description>seconds until an upstream's response headers arrived, tagged <c>upstream</c> and <c>operation</c>.</description></item>
/// </list>
/// </summary>
public sealed class MirrorMetrics
{
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _staleServes;
    private readonly Counter<long> _verificationFailures;
    private readonly Counter<long> _upstreamBytes;
    private readonly Histogram<double> _upstreamDuration;

    /// <summary>Creates the instruments on <paramref name="registry"/>'s meter.</summary>
    public MirrorMetrics(RegistryMetrics registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var meter = registry.Meter;
        _hits = meter.CreateCounter<long>("ociregistry.mirror.hits", "{request}", "Tag pulls answered from the mirror's cache without fetching.");
        _misses = meter.CreateCounter<long>("ociregistry.mirror.misses", "{request}", "Manifests and blobs fetched from an upstream.");
        _coalesced = meter.CreateCounter<long>("ociregistry.mirror.coalesced", "{request}", "Blob requests that joined a fetch in progress.");
        _staleServes = meter.CreateCounter<long>("ociregistry.mirror.stale_serves", "{request}", "Tags served from cache while the upstream failed.");
        _verificationFailures = meter.CreateCounter<long>("ociregistry.mirror.verification_failures", "{blob}", "Fetched blobs whose bytes did not match their digest.");
        _upstreamBytes = meter.CreateCounter<long>("ociregistry.mirror.upstream.bytes", "By", "Bytes received from upstream registries.");
        _upstreamDuration = meter.CreateHistogram<double>("ociregistry.mirror.upstream.duration", "s", "Time until an upstream's response headers arrived.");
    }

    internal void Hit() => _hits.Add(1);

    internal void Miss(string kind) => _misses.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Coalesced() => _coalesced.Add(1);

    internal void StaleServe() => _staleServes.Add(1);

    internal void VerificationFailed() => _verificationFailures.Add(1);

    internal void UpstreamBytes(string upstream, long bytes) => _upstreamBytes.Add(bytes, new KeyValuePair<string, object?>("upstream", upstream));

    internal void UpstreamRequest(string upstream, string operation, TimeSpan duration) =>
        _upstreamDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("upstream", upstream), new KeyValuePair<string, object?>("operation", operation));
}
