using System.Net;
using System.Text.Json;
using OciRegistry.Testing;
using OpenQA.Selenium;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>A real browser against a real registry: what the pages show is what the registry holds.</summary>
public sealed class BrowserTests(UiRegistry ui) : IClassFixture<UiRegistry>
{
    [Fact]
    public async Task ImagePages_ShowTheRegistrysDigestsSizesPlatformsAndReferrers()
    {
        using var chromium = new Chromium();
        var browser = chromium.Driver;
        SignIn(browser, "reader");

        browser.ClickToNextPage(browser.FindElement(By.LinkText("team/app")));
        Assert.Equal("team/app", browser.FindElement(By.TagName("h1")).Text);
        chromium.Screenshot("tags");
        browser.ClickToNextPage(browser.FindElement(By.LinkText("1.0")));
        chromium.Screenshot("image-index");

        using var admin = ui.Client("admin");
        Assert.Equal(ui.Index.ToString(), browser.FindElement(By.Id("digest")).Text);
        var platforms = browser.FindElements(By.CssSelector("#platforms tbody tr"));
        Assert.Equal(["linux/amd64", "linux/arm64"], platforms.Select(row => row.FindElement(By.TagName("th")).Text));
        Assert.Equal([ui.Amd64.ManifestDigest.ToString(), ui.Arm64.ManifestDigest.ToString()], platforms.Select(row => row.FindElement(By.TagName("code")).Text));
        var amd64Bytes = await PulledBytesAsync(admin, ui.Amd64.ManifestDigest.ToString());
        Assert.Equal(amd64Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), platforms[0].FindElement(By.CssSelector("td[data-bytes]")).GetAttribute("data-bytes"));
        Assert.Equal(
            (await PulledBytesAsync(admin, ui.Index.ToString())).ToString(System.Globalization.CultureInfo.InvariantCulture),
            browser.FindElement(By.Id("total-size")).GetAttribute("data-bytes"));
        var referrer = Assert.Single(browser.FindElements(By.CssSelector("#referrers tbody tr")));
        Assert.Equal(UiRegistry.SignatureType, referrer.FindElement(By.TagName("th")).Text);
        Assert.Equal(ui.Signature.ToString(), referrer.FindElement(By.TagName("code")).Text);
        Assert.Contains($"image: {ui.Registry.HostPort}/team/app@{ui.Index}", browser.FindElement(By.CssSelector(".commands")).Text, StringComparison.Ordinal);

        browser.ClickToNextPage(platforms[0].FindElement(By.TagName("a")));
        Assert.Equal(ui.Amd64.ManifestDigest.ToString(), browser.FindElement(By.Id("digest")).Text);
        var layers = browser.FindElements(By.CssSelector("#layers tbody tr"));
        Assert.Equal(ui.Amd64.LayerDigests.Select(d => d.ToString()), layers.Select(row => row.FindElement(By.TagName("code")).Text));
    }

    [Fact]
    public async Task ImagePage_ShowsTheConfig()
    {
        using var chromium = new Chromium();
        var browser = chromium.Driver;
        SignIn(browser, "reader");

        browser.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, "/ui/image?repository=team/app&reference=latest"));
        chromium.Screenshot("image");

        using var config = JsonDocument.Parse(UiRegistry.LatestConfig);
        var main = browser.FindElement(By.TagName("main")).Text;
        Assert.Equal("linux/amd64", browser.FindElement(By.Id("config-platform")).Text);
        Assert.Contains("/usr/bin/server --port 8080", main, StringComparison.Ordinal);
        Assert.Contains("MODE=production", main, StringComparison.Ordinal);
        Assert.Contains("https://example.test/team/app", main, StringComparison.Ordinal);
        Assert.Contains("COPY server /usr/bin/server", main, StringComparison.Ordinal);
        Assert.Equal(ui.Latest.ManifestDigest.ToString(), browser.FindElement(By.Id("digest")).Text);
        using var admin = ui.Client("admin");
        Assert.Equal(
            (await PulledBytesAsync(admin, "latest")).ToString(System.Globalization.CultureInfo.InvariantCulture),
            browser.FindElement(By.Id("total-size")).GetAttribute("data-bytes"));
    }

    [Fact]
    public async Task DeletingATagThroughThePages_RemovesItFromTheApi()
    {
        using var admin = ui.Client("admin");
        await new RegistrySeeder(admin).PushImageAsync("team/app", "to-delete", [System.Text.Encoding.UTF8.GetBytes("only this tag uses me")]);
        using var chromium = new Chromium();
        var browser = chromium.Driver;
        SignIn(browser, "admin");

        browser.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, "/ui/tags?repository=team/app&filter=to-delete"));
        browser.ClickToNextPage(browser.FindElement(By.CssSelector("tr[data-tag='to-delete'] a.danger")));
        Assert.Contains("1 manifest and 2 blobs", browser.FindElement(By.Id("collectable")).Text, StringComparison.Ordinal);
        chromium.Screenshot("delete-preview");
        browser.ClickToNextPage(browser.FindElement(By.CssSelector("button.danger")));

        Assert.Equal("Deleted to-delete.", browser.FindElement(By.CssSelector(".notice")).Text);
        Assert.Empty(browser.FindElements(By.CssSelector("tr[data-tag='to-delete']")));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v2/team/app/manifests/to-delete")).StatusCode);
        Assert.DoesNotContain("to-delete", await admin.GetStringAsync("/v2/team/app/tags/list"), StringComparison.Ordinal);
    }

    [Fact]
    public void AUserWhoMayNotPull_SeesNeitherTheRepositoryNorItsSearchHit()
    {
        using var chromium = new Chromium();
        var browser = chromium.Driver;
        SignIn(browser, "outsider");

        Assert.Empty(browser.FindElements(By.LinkText("team/app")));
        Assert.NotEmpty(browser.FindElements(By.LinkText("other/tool")));
        var search = browser.FindElement(By.Id("q"));
        search.SendKeys("team");
        browser.SubmitToNextPage(search);
        Assert.Empty(browser.FindElements(By.LinkText("team/app")));
        Assert.DoesNotContain("team/app", browser.FindElement(By.TagName("main")).Text.Replace("“team”", "", StringComparison.Ordinal), StringComparison.Ordinal);

        browser.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, "/ui/tags?repository=team/app"));
        Assert.Equal("Not found", browser.FindElement(By.TagName("h1")).Text);
    }

    [Fact]
    public void MainPages_FitAPhoneScreen_AndAreScreenshotted()
    {
        using var phone = new Chromium(phone: true);
        SignIn(phone.Driver, "admin");
        phone.Screenshot("repositories-phone");
        phone.Driver.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, "/ui/image?repository=team/app&reference=1.0"));
        phone.Screenshot("image-phone");

        // The page never scrolls sideways on a phone: wide tables scroll inside their own region.
        var script = (IJavaScriptExecutor)phone.Driver;
        var screenWidth = (long)script.ExecuteScript("return document.documentElement.clientWidth;")!;
        var pageWidth = (long)script.ExecuteScript("return document.documentElement.scrollWidth;")!;
        Assert.Equal(390, screenWidth);
        Assert.True(pageWidth <= screenWidth, $"the page is {pageWidth}px wide on a {screenWidth}px screen");

        using var desktop = new Chromium();
        SignIn(desktop.Driver, "admin");
        desktop.Screenshot("repositories");
        foreach (var page in new[] { "storage", "maintenance", "uploads" })
        {
            desktop.Driver.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, $"/ui/{page}"));
            Assert.Equal(page, desktop.Driver.FindElement(By.CssSelector("nav[aria-label=Main] a[aria-current=page]")).Text.ToLowerInvariant());
            Assert.Single(desktop.Driver.FindElements(By.CssSelector("main#main")));
            Assert.EndsWith("#main", desktop.Driver.FindElement(By.CssSelector("a.skip")).GetAttribute("href"), StringComparison.Ordinal);
            desktop.Screenshot(page);
        }
    }

    private void SignIn(IWebDriver browser, string user)
    {
        browser.Navigate().GoToUrl(new Uri(ui.Registry.BaseAddress, "/ui"));
        browser.FindElement(By.Id("user")).SendKeys(user);
        browser.FindElement(By.Id("password")).SendKeys(UiRegistry.Users.Single(u => u.User == user).Password);
        browser.ClickToNextPage(browser.FindElement(By.CssSelector("form.stacked button[type=submit]")));
        Assert.Equal("Repositories", browser.FindElement(By.TagName("h1")).Text);
    }

    /// <summary>What pulling the reference downloads, from the API: the manifest, its config and layers, or each child's.</summary>
    private static async Task<long> PulledBytesAsync(HttpClient client, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var manifest = JsonDocument.Parse(bytes);
        long total = bytes.Length;
        if (manifest.RootElement.TryGetProperty("manifests", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                total += await PulledBytesAsync(client, child.GetProperty("digest").GetString()!);
            }

            return total;
        }

        total += manifest.RootElement.GetProperty("config").GetProperty("size").GetInt64();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            total += layer.GetProperty("size").GetInt64();
        }

        return total;
    }
}
