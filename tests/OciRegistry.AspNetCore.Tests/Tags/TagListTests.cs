using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Tags;

public sealed class TagListTests
{
    private static readonly string[] Tags = ["v2", "latest", "v10", "1.0", "V1", "a_b", "a-b", "z"];
    private static readonly string[] Sorted = [.. Tags.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task List_ReturnsTagsInLexicalOrder(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        await PushTagsAsync(Registries.ClientOf(registry));

        var json = await Registries.ClientOf(registry).GetJsonAsync("/v2/app/tags/list");
        Assert.Equal("app", json.GetProperty("name").GetString());
        Assert.Equal(Sorted, json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        using var response = await registry.Client.GetAsync("/v2/app/tags/list");
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Pagination_FollowingLinks_VisitsEveryTagOnce(int n)
    {
        await using var registry = await Registries.StartAsync();
        await PushTagsAsync(Registries.ClientOf(registry));

        var pages = await Pages.FollowAsync(registry.Client, $"/v2/app/tags/list?n={n}", "tags");
        Assert.All(pages.SkipLast(1), page => Assert.Equal(n, page.Length));
        Assert.Equal(Sorted, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task FirstPage_CarriesNextLink_WithNAndLast()
    {
        await using var registry = await Registries.StartAsync();
        await PushTagsAsync(Registries.ClientOf(registry));

        var (items, next) = await Pages.GetPageAsync(registry.Client, "/v2/app/tags/list?n=2", "tags");
        Assert.Equal(Sorted[..2], items);
        Assert.Equal($"/v2/app/tags/list?n=2&last={Uri.EscapeDataString(Sorted[1])}", next);
    }

    [Fact]
    public async Task Last_StartsAfterTheGivenTag_AndPastTheEndIsEmpty()
    {
        await using var registry = await Registries.StartAsync();
        await PushTagsAsync(Registries.ClientOf(registry));

        var (afterV1, _) = await Pages.GetPageAsync(registry.Client, "/v2/app/tags/list?last=V1", "tags");
        Assert.Equal(Sorted.SkipWhile(t => t != "V1").Skip(1), afterV1);
        var (pastEnd, next) = await Pages.GetPageAsync(registry.Client, "/v2/app/tags/list?last=zzz", "tags");
        Assert.Empty(pastEnd);
        Assert.Null(next);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?n=50")]
    public async Task PagesLargerThanMaxPageSize_AreCut_AndLinked(string query)
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxPageSize = 3);
        await PushTagsAsync(Registries.ClientOf(registry));

        var pages = await Pages.FollowAsync(registry.Client, $"/v2/app/tags/list{query}", "tags");
        Assert.Equal([3, 3, 2], pages.Select(p => p.Length));
        Assert.Equal(Sorted, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task ZeroN_ReturnsAnEmptyList_WithoutLink()
    {
        await using var registry = await Registries.StartAsync();
        await PushTagsAsync(Registries.ClientOf(registry));

        var (items, next) = await Pages.GetPageAsync(registry.Client, "/v2/app/tags/list?n=0", "tags");
        Assert.Empty(items);
        Assert.Null(next);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task InvalidN_Answers400(string n)
    {
        await using var registry = await Registries.StartAsync();
        await PushTagsAsync(Registries.ClientOf(registry));
        using var response = await registry.Client.GetAsync($"/v2/app/tags/list?n={n}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"errors\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRepository_Answers404NameUnknown()
    {
        await using var registry = await Registries.StartAsync();
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/nowhere/tags/list"), HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    private static async Task PushTagsAsync(RegistryClient client)
    {
        var (_, manifest) = await client.PushImageAsync("app", Tags[0]);
        foreach (var tag in Tags.Skip(1))
        {
            await client.PushManifestAsync("app", tag, manifest);
        }
    }
}
