using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>Reads paginated listings by following their <c>Link: &lt;...&gt;; rel="next"</c> headers.</summary>
internal static partial class Pages
{
    public static async Task<(string[] Items, string? Next)> GetPageAsync(HttpClient http, string path, string property)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var items = json.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            var match = NextLink().Match(links.Single());
            Assert.True(match.Success, $"malformed Link header {links.Single()}");
            next = match.Groups[1].Value;
        }

        return (items, next);
    }

    /// <summary>Follows every next link from <paramref name="path"/>; returns the pages' items.</summary>
    public static async Task<List<string[]>> FollowAsync(HttpClient http, string path, string property)
    {
        var pages = new List<string[]>();
        string? next = path;
        while (next is not null)
        {
            Assert.True(pages.Count < 100, "pagination does not end");
            var (items, link) = await GetPageAsync(http, next, property);
            pages.Add(items);
            next = link;
        }

        return pages;
    }

    [GeneratedRegex("^<([^>]+)>;\\s*rel=\"next\"$")]
    private static partial Regex NextLink();
}
