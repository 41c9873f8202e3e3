using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OciRegistry.AspNetCore.Http;

/// <summary>Writes <c>Retry-After</c> in whole seconds, rounded up so that a client never comes back too early.</summary>
internal static class RetryAfterHeader
{
    public static void Set(HttpResponse response, TimeSpan wait) =>
        response.Headers[HeaderNames.RetryAfter] = ((long)Math.Ceiling(Math.Max(wait.TotalSeconds, 1))).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
