using System.Net;
using System.Text.RegularExpressions;

namespace OciRegistry.Server.Tests;

/// <summary>The web interface's login form in the server's token mode, whose API honours only bearer tokens.</summary>
public sealed partial class UiLoginTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TokenMode_SignsInTheTokenServersUsers_WhoSeeWhatTheAccessListGrants()
    {
        var htpasswd = _folder.WriteHtpasswd(TemporaryFolder.BcryptEntry("alice", "a"), TemporaryFolder.BcryptEntry("bob", "b"));
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path,
            null,
            "--urls", "http://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Ui:Enabled", "true",
            "--OciRegistry:Auth:Mode", "token",
            "--OciRegistry:Auth:Basic:HtpasswdPath", htpasswd,
            "--OciRegistry:Auth:Access:0:User", "alice",
            "--OciRegistry:Auth:Access:0:Repositories", "*",
            "--OciRegistry:Auth:Access:0:Actions:0", "catalog");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(server.Addresses.Single()) };

        using var anonymous = await browser.GetAsync("/ui/storage");
        using var form = await browser.GetAsync("/ui/login");
        var token = HiddenToken().Match(await form.Content.ReadAsStringAsync());
        using var wrong = await browser.PostAsync("/ui/login", Form(token, "alice", "not-a"));
        using var right = await browser.PostAsync("/ui/login", Form(token, "alice", "a"));
        using var storage = await browser.GetAsync("/ui/storage");
        using var api = await browser.GetAsync("/v2/_catalog");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/ui/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.True(token.Success);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, storage.StatusCode); // alice has the catalog right the storage page needs
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode); // the API still wants a bearer token
    }

    private static FormUrlEncodedContent Form(Match token, string user, string password) => new(new Dictionary<string, string>
    {
        [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
        ["returnUrl"] = "/ui/storage",
        ["user"] = user,
        ["password"] = password,
    });

    // The antiforgery field (every hidden input but returnUrl).
    [GeneratedRegex("""<input type="hidden" name="(?!returnUrl)([^"]+)" value="([^"]+)" />""")]
    private static partial Regex HiddenToken();
}
