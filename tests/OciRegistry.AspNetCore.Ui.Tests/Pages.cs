using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>Reads the interface's HTML answers and submits its forms as a browser would (token included).</summary>
internal static class Pages
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IDocument> ReadAsync(HttpResponseMessage response) => Parser.ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>GETs <paramref name="page"/>, fills the form posting to <paramref name="action"/> with <paramref name="fields"/>, submits it.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        var document = await ReadAsync(await client.GetAsync(page));
        var form = document.QuerySelectorAll("form").Single(f => f.GetAttribute("action") == action);
        var values = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>The antiforgery field's name and value from a form on <paramref name="page"/>.</summary>
    public static async Task<(string Name, string Value)> TokenAsync(HttpClient client, string page)
    {
        var hidden = (await ReadAsync(await client.GetAsync(page))).QuerySelector("form input[type=hidden]")!;
        return (hidden.GetAttribute("name")!, hidden.GetAttribute("value")!);
    }

    /// <summary>The texts of the first cells (row headers) of the table's body rows.</summary>
    public static IReadOnlyList<string> RowNames(IDocument document, string selector = "table") =>
        [.. document.QuerySelectorAll($"{selector} tbody tr").Select(row => row.Children[0].TextContent.Trim())];
}
