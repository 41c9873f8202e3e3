using System.Diagnostics;
using OciRegistry.Core.Errors;

namespace OciRegistry.Core.Observability;

/// <summary>
/// The registry's spans, on one <see cref="ActivitySource"/> named <see cref="Name"/> (subscribe with OpenTelemetry's
/// <c>AddSource("OciRegistry")</c> or an <see cref="ActivityListener"/>):
/// <c>blob.push</c> (a monolithic push), <c>upload.commit</c> (the end of a chunked upload), <c>blob.mount</c>,
/// <c>blob.pull</c> (finding and opening a blob; the bytes stream in the HTTP request's span),
/// <c>manifest.put</c>, <c>manifest.get</c>, <c>manifest.delete</c> and <c>gc</c>. Each carries
/// <c>oci.repository</c> and, where there is one, <c>oci.reference</c>; a refused operation has status
/// <see cref="ActivityStatusCode.Error"/> and its OCI error code in <c>oci.error.code</c>.
/// </summary>
public static class RegistryActivitySource
{
    /// <summary>The source's name.</summary>
    public const string Name = "OciRegistry";

    internal const string BlobPush = "blob.push";
    internal const string UploadCommit = "upload.commit";
    internal const string BlobMount = "blob.mount";
    internal const string BlobPull = "blob.pull";
    internal const string ManifestPut = "manifest.put";
    internal const string ManifestGet = "manifest.get";
    internal const string ManifestDelete = "manifest.delete";
    internal const string Gc = "gc";

    internal static ActivitySource Source { get; } = new(Name, typeof(RegistryActivitySource).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a span of an operation on <paramref name="repository"/>; null when nobody listens.</summary>
    internal static Activity? Start(string operation, string repository, string? reference = null)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("oci.repository", repository);
            if (reference is not null)
            {
                activity.SetTag("oci.reference", reference);
            }
        }

        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed when <paramref name="result"/> is an error; returns the result.</summary>
    internal static RegistryResult<T> Finish<T>(Activity? activity, RegistryResult<T> result)
    {
        if (activity is not null && result.Error is { } error)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("oci.error.code", error.Code.ToWireCode());
        }

        return result;
    }
}
