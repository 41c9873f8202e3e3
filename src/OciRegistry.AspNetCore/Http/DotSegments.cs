using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OciRegistry.AspNetCore.Http;

/// <summary>
/// Detects <c>.</c> and <c>..</c> segments (also percent-encoded) in the path as the client sent it. Kestrel resolves
/// them before routing, so <c>/v2/a/../b/...</c> would otherwise reach repository <c>b</c>: a name the client never
/// asked for, and one a proxy authorizing by raw path would not have checked. The registry refuses such paths instead.
/// </summary>
internal static class DotSegments
{
    /// <summary>The raw path when it has a dot segment; null when it has none.</summary>
    public static string? FindInRawPath(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget))
        {
            return null;
        }

        var query = rawTarget.IndexOf('?');
        var path = query < 0 ? rawTarget : rawTarget[..query];
        if (!path.Contains('.') && !path.Contains('%'))
        {
            return null;
        }

        var segments = Uri.UnescapeDataString(path).Split('/');
        return segments.Any(segment => segment is "." or "..") ? path : null;
    }
}
