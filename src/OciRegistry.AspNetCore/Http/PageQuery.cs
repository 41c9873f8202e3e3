using Microsoft.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Http;

/// <summary>The <c>n</c> and <c>last</c> query parameters of paginated listings.</summary>
internal readonly record struct PageQuery(int? N, string? Last)
{
    public static RegistryResult<PageQuery> Read(HttpRequest request)
    {
        var nText = request.Query["n"].ToString();
        int? n = null;
        if (nText.Length > 0)
        {
            if (!int.TryParse(nText, System.Globalization.NumberStyles.None, null, out var parsed))
            {
                return RegistryError.SizeInvalid($"the page size n must be a non-negative integer, not '{nText}'");
            }

            n = parsed;
        }

        var last = request.Query["last"].ToString();
        return new PageQuery(n, last.Length == 0 ? null : last);
    }
}
