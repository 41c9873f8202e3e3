using System.Net;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>Every page and action asks the registry's authorizer, over plain HTTP (Basic credentials or the login cookie).</summary>
public sealed class UiAuthorizationTests(UiRegistry ui) : IClassFixture<UiRegistry>
{
    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/tags?repository=team/app")]
    [InlineData("/ui/image?repository=team/app&reference=1.0")]
    [InlineData("/ui/storage")]
    [InlineData("/ui/uploads")]
    public async Task Anonymous_IsSentToTheLoginForm(string page)
    {
        using var anonymous = ui.Client(null);

        var response = await anonymous.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/ui/login?returnUrl={Uri.EscapeDataString(page)}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task RepositoryList_ShowsOnlyWhatTheUserMayPull_EvenWhenSearched()
    {
        using var reader = ui.Client("reader");
        using var outsider = ui.Client("outsider");

        Assert.Equal(["other/tool", "team/app"], Pages.RowNames(await Pages.ReadAsync(await reader.GetAsync("/ui"))));
        Assert.Equal(["other/tool"], Pages.RowNames(await Pages.ReadAsync(await outsider.GetAsync("/ui"))));
        Assert.Equal(["team/app"], Pages.RowNames(await Pages.ReadAsync(await reader.GetAsync("/ui?q=team"))));
        var hidden = await outsider.GetAsync("/ui?q=team");
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        Assert.DoesNotContain("team/app", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ui/tags?repository=team/app")]
    [InlineData("/ui/image?repository=team/app&reference=1.0")]
    [InlineData("/ui/delete?repository=team/app&reference=1.0")]
    public async Task RepositoryPages_ReadAsNotFound_ForUsersWhoMayNotPull(string page)
    {
        using var outsider = ui.Client("outsider");
        using var missing = ui.Client("admin");

        var denied = await outsider.GetAsync(page);
        var absent = await missing.GetAsync(page.Replace("team/app", "team/nothing-here", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        Assert.DoesNotContain("1.0", (await Pages.ReadAsync(denied)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryWidePages_NeedTheCatalogRight()
    {
        using var nocatalog = ui.Client("nocatalog");
        using var reader = ui.Client("reader");

        foreach (var page in new[] { "/ui/storage", "/ui/maintenance", "/ui/uploads" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await nocatalog.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(page)).StatusCode);
        }

        var list = await Pages.ReadAsync(await nocatalog.GetAsync("/ui"));
        Assert.Empty(list.QuerySelectorAll("table"));
        Assert.NotNull(list.QuerySelector("input[name=repository]"));
    }

    [Fact]
    public async Task Delete_NeedsTheDeleteRight_AndLeavesTheTagWhenRefused()
    {
        await PushTagAsync("kept");
        using var reader = ui.Client("reader");

        var preview = await reader.GetAsync("/ui/delete?repository=team/app&reference=kept");
        var tags = await Pages.ReadAsync(await reader.GetAsync("/ui/tags?repository=team/app"));
        var collect = await Pages.SubmitAsync(reader, "/ui/maintenance", "/ui/maintenance/collect");
        var (field, token) = await Pages.TokenAsync(reader, "/ui/maintenance");
        var delete = await reader.PostAsync("/ui/delete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field] = token,
            ["repository"] = "team/app",
            ["reference"] = "kept",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
        Assert.Empty(tags.QuerySelectorAll("a.danger"));
        Assert.Equal(HttpStatusCode.Redirect, collect.StatusCode); // the reader may list the registry, so may preview a collection
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        using var admin = ui.Client("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v2/team/app/manifests/kept")).StatusCode);
    }

    [Fact]
    public async Task Delete_WithoutTheFormToken_IsRefused()
    {
        await PushTagAsync("forged");
        using var admin = ui.Client("admin");

        var response = await admin.PostAsync("/ui/delete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["repository"] = "team/app",
            ["reference"] = "forged",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v2/team/app/manifests/forged")).StatusCode);
    }

    [Fact]
    public async Task Delete_ByAnAllowedUser_RemovesTheTagFromTheApi()
    {
        await PushTagAsync("doomed");
        using var admin = ui.Client("admin");

        var response = await Pages.SubmitAsync(admin, "/ui/delete?repository=team/app&reference=doomed", "/ui/delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/tags?repository=team%2Fapp&deleted=doomed", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v2/team/app/manifests/doomed")).StatusCode);
    }

    [Fact]
    public async Task LoginForm_SignsInWithTheRegistryUsers_AndItsCookieIsNotHonouredByTheApi()
    {
        using var browser = ui.Client(null);

        var wrong = await Pages.SubmitAsync(browser, "/ui/login", "/ui/login", ("user", "reader"), ("password", "nope"));
        var right = await Pages.SubmitAsync(browser, "/ui/login?returnUrl=/ui/tags?repository=team/app", "/ui/login", ("user", "reader"), ("password", "reader-secret"));
        var page = await browser.GetAsync("/ui/tags?repository=team/app");
        var api = await browser.GetAsync("/v2/team/app/tags/list");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/ui/tags?repository=team/app", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("reader", (await Pages.ReadAsync(page)).QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task LoginForm_DoesNotRedirectOutsideTheInterface()
    {
        using var browser = ui.Client(null);

        var response = await Pages.SubmitAsync(browser, "/ui/login?returnUrl=https://evil.test/", "/ui/login", ("user", "reader"), ("password", "reader-secret"));

        Assert.Equal("/ui/", response.Headers.Location!.OriginalString);
    }

    private async Task PushTagAsync(string tag)
    {
        using var admin = ui.Client("admin");
        await new RegistrySeeder(admin).PushImageAsync("team/app", tag, [System.Text.Encoding.UTF8.GetBytes($"layer of {tag}")]);
    }
}
