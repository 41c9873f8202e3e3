using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Http;

/// <summary>The URLs the registry hands back in <c>Location</c> and <c>Link</c>, relative to the host and under its path base.</summary>
internal static class Locations
{
    public static string Blob(HttpContext context, string repository, object digest) =>
        $"{context.Request.PathBase}/v2/{repository}/blobs/{digest}";

    public static string Upload(HttpContext context, string repository, string uploadId) =>
        $"{context.Request.PathBase}/v2/{repository}/blobs/uploads/{uploadId}";

    public static string Manifest(HttpContext context, string repository, object digest) =>
        $"{context.Request.PathBase}/v2/{repository}/manifests/{digest}";

    public static string NextPage(HttpContext context, string path, int pageSize, string last) =>
        $"<{context.Request.PathBase}{path}?n={pageSize}&last={Uri.EscapeDataString(last)}>; rel=\"next\"";
}
