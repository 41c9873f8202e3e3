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
    /// <summary>The raw path when it has a dot segment; null when it has none. Allocates only for percent-encoded segments.</summary>
    public static string? FindInRawPath(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget))
        {
            return null;
        }

        var query = rawTarget.IndexOf('?');
        var path = query < 0 ? rawTarget.AsSpan() : rawTarget.AsSpan(0, query);
        foreach (var range in path.Split('/'))
        {
            if (IsDotSegment(path[range]))
            {
                return path.ToString();
            }
        }

        return null;
    }

    private static bool IsDotSegment(ReadOnlySpan<char> segment) =>
        segment is "." or ".."
        || (segment.Length <= 6 && segment.Contains('%') && Uri.UnescapeDataString(segment.ToString()) is "." or "..");
}
