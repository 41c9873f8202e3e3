using System.Diagnostics.Metrics;

namespace OciRegistry.Core.Observability;

/// <summary>
/// The registry's instruments, on one <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>
/// (one instance per registry host, registered as a singleton; the meter comes from the host's <see cref="IMeterFactory"/>,
/// so each host's instruments are its own and the factory disposes them):
/// <list type="table">
/// <item><term><c>ociregistry.requests</c></term><description>counter of <c>/v2/</c> requests, tagged <c>operation</c> (e.g. <c>manifest.put</c>) and <c>status</c> (the HTTP status code).</description></item>
/// <item><term><c>ociregistry.bytes.received</c> / <c>ociregistry.bytes.sent</c></term><description>counters of request and response body bytes (by Content-Length), tagged <c>operation</c>.</description></item>
/// <item><term><c>ociregistry.upload.duration</c></term><description>histogram of seconds from starting an upload session to committing its blob.</description></item>
/// <item><term><c>ociregistry.uploads.active</c></term><description>up-down counter of upload sessions started minus ended (finished, cancelled, refused or expired) by this process.</description></item>
/// <item><term><c>ociregistry.upload.rehashed_bytes</c></term><description>counter of upload bytes read back from the store and hashed because this instance did not take the chunks that wrote them (another instance did, or this one restarted); high values mean a front spreads each upload's requests over instances.</description></item>
/// <item><term><c>ociregistry.gc.runs</c></term><description>counter of garbage collections, tagged <c>dry_run</c>.</description></item>
/// <item><term><c>ociregistry.gc.bytes_freed</c></term><description>counter of blob bytes deleted by garbage collection.</description></item>
/// </list>
/// </summary>
public sealed class RegistryMetrics
{
    /// <summary>The meter's name, to subscribe to (<c>dotnet-counters monitor --counters OciRegistry</c>, OpenTelemetry <c>AddMeter</c>).</summary>
    public const string MeterName = "OciRegistry";

    // Status codes boxed once, so tagging a request allocates nothing.
    private static readonly object[] BoxedStatusCodes = Enumerable.Range(0, 600).Select(code => (object)code).ToArray();

    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Histogram<double> _uploadDuration;
    private readonly UpDownCounter<long> _activeUploads;
    private readonly Counter<long> _rehashedBytes;
    private readonly Counter<long> _gcRuns;
    private readonly Counter<long> _gcBytesFreed;

    /// <summary>Creates the meter (through <paramref name="meterFactory"/>) and its instruments.</summary>
    public RegistryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _requests = Meter.CreateCounter<long>("ociregistry.requests", "{request}", "Registry API requests by operation and status.");
        _bytesReceived = Meter.CreateCounter<long>("ociregistry.bytes.received", "By", "Request body bytes received.");
        _bytesSent = Meter.CreateCounter<long>("ociregistry.bytes.sent", "By", "Response body bytes sent.");
        _uploadDuration = Meter.CreateHistogram<double>("ociregistry.upload.duration", "s", "Time from starting an upload session to committing its blob.");
        _activeUploads = Meter.CreateUpDownCounter<long>("ociregistry.uploads.active", "{session}", "Upload sessions started and not yet ended.");
        _rehashedBytes = Meter.CreateCounter<long>("ociregistry.upload.rehashed_bytes", "By", "Upload bytes read back and hashed because another instance (or a restart) took the chunks that wrote them.");
        _gcRuns = Meter.CreateCounter<long>("ociregistry.gc.runs", "{run}", "Garbage collections run.");
        _gcBytesFreed = Meter.CreateCounter<long>("ociregistry.gc.bytes_freed", "By", "Blob bytes deleted by garbage collection.");
    }

    /// <summary>The meter every instrument belongs to.</summary>
    public Meter Meter { get; }

    /// <summary>Records one finished request and its body sizes.</summary>
    public void RequestCompleted(string operation, int status, long bytesReceived, long bytesSent)
    {
        var operationTag = new KeyValuePair<string, object?>("operation", operation);
        var statusTag = new KeyValuePair<string, object?>("status", (uint)status < BoxedStatusCodes.Length ? BoxedStatusCodes[status] : status);
        _requests.Add(1, operationTag, statusTag);
        if (bytesReceived > 0)
        {
            _bytesReceived.Add(bytesReceived, operationTag);
        }

        if (bytesSent > 0)
        {
            _bytesSent.Add(bytesSent, operationTag);
        }
    }

    /// <summary>Records a new upload session.</summary>
    public void UploadStarted() => _activeUploads.Add(1);

    /// <summary>Records <paramref name="count"/> upload sessions ending without a blob (cancelled, refused, expired).</summary>
    public void UploadsEnded(int count = 1)
    {
        if (count > 0)
        {
            _activeUploads.Add(-count);
        }
    }

    /// <summary>Records an upload session that committed its blob, <paramref name="duration"/> after it started.</summary>
    public void UploadCompleted(TimeSpan duration)
    {
        _activeUploads.Add(-1);
        _uploadDuration.Record(Math.Max(0, duration.TotalSeconds));
    }

    /// <summary>Records <paramref name="bytes"/> of an upload read back from the store to catch its running hash up.</summary>
    public void UploadRehashed(long bytes)
    {
        if (bytes > 0)
        {
            _rehashedBytes.Add(bytes);
        }
    }

    /// <summary>Records a garbage collection and the bytes it freed.</summary>
    public void GarbageCollected(bool dryRun, long bytesFreed)
    {
        _gcRuns.Add(1, new KeyValuePair<string, object?>("dry_run", dryRun));
        if (!dryRun && bytesFreed > 0)
        {
            _gcBytesFreed.Add(bytesFreed);
        }
    }
}
