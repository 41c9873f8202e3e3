using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Http;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Operations;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary><c>GET /v2/&lt;name&gt;/tags/list</c> and <c>GET /v2/_catalog</c>, paginated with <c>n</c>, <c>last</c> and <c>Link</c>.</summary>
internal sealed class ListingEndpoints(ListingOperations listings)
{
    public async Task TagsAsync(HttpContext context, RegistryRoute route)
    {
        var query = PageQuery.Read(context.Request);
        if (!query.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, query.Error).ConfigureAwait(false);
            return;
        }

        var page = await listings.ListTagsAsync(route.Repository, query.Value.N, query.Value.Last, context.RequestAborted).ConfigureAwait(false);
        if (!page.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, page.Error).ConfigureAwait(false);
            return;
        }

        AddNextLink(context, $"/v2/{route.Repository}/tags/list", page.Value);
        await JsonResponses.WriteAsync(context, "application/json", (route.Repository, page.Value.Items), static (json, state) =>
        {
            json.WriteStartObject();
            json.WriteString("name", state.Repository);
            WriteArray(json, "tags", state.Items);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task CatalogAsync(HttpContext context, Func<string, ValueTask<bool>> isVisible)
    {
        var query = PageQuery.Read(context.Request);
        if (!query.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, query.Error).ConfigureAwait(false);
            return;
        }

        var page = await listings.ListRepositoriesAsync(query.Value.N, query.Value.Last, context.RequestAborted).ConfigureAwait(false);
        var visible = new List<string>(page.Value.Items.Count);
        foreach (var name in page.Value.Items)
        {
            if (await isVisible(name).ConfigureAwait(false))
            {
                visible.Add(name);
            }
        }

        AddNextLink(context, "/v2/_catalog", page.Value);
        await JsonResponses.WriteAsync(context, "application/json", visible, static (json, names) =>
        {
            json.WriteStartObject();
            WriteArray(json, "repositories", names);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void AddNextLink(HttpContext context, string path, Page<string> page)
    {
        if (page.HasMore && page.Items.Count > 0)
        {
            context.Response.Headers[HeaderNames.Link] = Locations.NextPage(context, path, page.Items.Count, page.Items[^1]);
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IReadOnlyList<string> items)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStringValue(item);
        }

        json.WriteEndArray();
    }
}
