using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Catalog;

public sealed class CatalogTests
{
    private static readonly string[] Repositories = ["zeta", "alpha/one", "alpha", "library/busybox", "alpha-beta", "b"];
    private static readonly string[] Sorted = [.. Repositories.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Catalog_ListsRepositoriesInLexicalOrder(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        await PushRepositoriesAsync(Registries.ClientOf(registry));

        var (items, next) = await Pages.GetPageAsync(registry.Client, "/v2/_catalog", "repositories");
        Assert.Equal(Sorted, items);
        Assert.Null(next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Pagination_FollowingLinks_VisitsEveryRepositoryOnce(int n)
    {
        await using var registry = await Registries.StartAsync();
        await PushRepositoriesAsync(Registries.ClientOf(registry));

        var pages = await Pages.FollowAsync(registry.Client, $"/v2/_catalog?n={n}", "repositories");
        Assert.All(pages.SkipLast(1), page => Assert.Equal(n, page.Length));
        Assert.Equal(Sorted, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task FirstPage_CarriesNextLink_AndLastSkipsAhead()
    {
        await using var registry = await Registries.StartAsync();
        await PushRepositoriesAsync(Registries.ClientOf(registry));

        var (items, next) = await Pages.GetPageAsync(registry.Client, "/v2/_catalog?n=2", "repositories");
        Assert.Equal(Sorted[..2], items);
        Assert.Equal($"/v2/_catalog?n=2&last={Uri.EscapeDataString(Sorted[1])}", next);

        var (afterAlphaOne, _) = await Pages.GetPageAsync(registry.Client, "/v2/_catalog?last=alpha%2Fone", "repositories");
        Assert.Equal(Sorted.SkipWhile(r => r != "alpha/one").Skip(1), afterAlphaOne);
        var (pastEnd, end) = await Pages.GetPageAsync(registry.Client, "/v2/_catalog?last=zzz", "repositories");
        Assert.Empty(pastEnd);
        Assert.Null(end);
    }

    [Fact]
    public async Task EmptyRegistry_HasAnEmptyCatalog()
    {
        await using var registry = await Registries.StartAsync();
        var (items, next) = await Pages.GetPageAsync(registry.Client, "/v2/_catalog", "repositories");
        Assert.Empty(items);
        Assert.Null(next);
    }

    [Fact]
    public async Task InvalidN_Answers400()
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.GetAsync("/v2/_catalog?n=many");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"errors\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task PushRepositoriesAsync(RegistryClient client)
    {
        foreach (var repository in Repositories)
        {
            await client.PushImageAsync(repository, "latest");
        }
    }
}
