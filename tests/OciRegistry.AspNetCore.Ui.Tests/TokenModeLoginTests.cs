using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// A registry in Docker token mode with its built-in token server: the API honours only bearer tokens, which a browser
/// does not carry, so the pages sign users in with the token server's users and authorize them by the same access list.
/// </summary>
public sealed class TokenModeLoginTests : IAsyncLifetime
{
    private static readonly (string User, string Password)[] Users = [("alice", "alice-secret"), ("bob", "bob-secret"), ("carol", "carol-secret")];

    private readonly string _folder = Directory.CreateTempSubdirectory("oci-ui-token-").FullName;
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = Path.Combine(_folder, "htpasswd");
        await File.WriteAllLinesAsync(htpasswd, Users.Select(u => $"{u.User}:{BCrypt.Net.BCrypt.HashPassword(u.Password, 4)}"));
        List<AccessRule> access =
        [
            new() { User = "alice", Repositories = "*", Actions = ["*"] },
            new() { User = "bob", Repositories = "team/*", Actions = ["pull", "catalog"] },
            new() { User = "carol", Repositories = "other/*", Actions = ["pull", "catalog"] },
        ];
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddOciRegistry().AddTokenAuthentication().AddTokenServer(server =>
                {
                    server.HtpasswdPath = htpasswd;
                    server.Access = access;
                });
                services.AddOciRegistryUi();
                services.AddOciRegistryUiLogin(_ =>
                {
                    var users = new BasicAuthenticationOptions { HtpasswdPath = htpasswd, Access = access };
                    return new BasicRegistryAuthorizer(Options.Create(users));
                });
            };
            o.App = app =>
            {
                app.MapOciRegistryTokenEndpoint();
                app.MapOciRegistryUi("/ui");
            };
        });

        using var alice = Client();
        alice.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("repository:team/app:pull,push", "repository:other/tool:pull,push"));
        var seeder = new RegistrySeeder(alice);
        await seeder.PushImageAsync("team/app", "1.0", [[1, 2, 3]]);
        await seeder.PushImageAsync("other/tool", "2.1", [[4, 5]]);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Anonymous_IsSentToTheLoginForm()
    {
        using var browser = Client();

        var response = await browser.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/login?returnUrl=%2Fui", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignedInUsers_SeeAndDoOnlyWhatTheAccessListGrantsThem()
    {
        using var bob = await SignedInAsync("bob");
        using var carol = await SignedInAsync("carol");

        Assert.Equal(["team/app"], Pages.RowNames(await Pages.ReadAsync(await bob.GetAsync("/ui"))));
        Assert.Equal(["other/tool"], Pages.RowNames(await Pages.ReadAsync(await carol.GetAsync("/ui?q=o"))));
        Assert.Equal(HttpStatusCode.NotFound, (await carol.GetAsync("/ui/tags?repository=team/app")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/ui/delete?repository=team/app&reference=1.0")).StatusCode);
    }

    [Fact]
    public async Task AnAllowedUser_DeletesThroughThePages_ButTheCookieIsNotHonouredByTheApi()
    {
        using var alice = await SignedInAsync("alice");

        var deleted = await Pages.SubmitAsync(alice, "/ui/delete?repository=other/tool&reference=2.1", "/ui/delete");
        var api = await alice.GetAsync("/v2/other/tool/tags/list");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty(Pages.RowNames(await Pages.ReadAsync(await alice.GetAsync("/ui/tags?repository=other/tool"))));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.StartsWith("Bearer ", api.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private HttpClient Client() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = _registry.BaseAddress };

    private async Task<HttpClient> SignedInAsync(string user)
    {
        var browser = Client();
        var password = Users.Single(u => u.User == user).Password;
        var response = await Pages.SubmitAsync(browser, "/ui/login", "/ui/login", ("user", user), ("password", password));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private async Task<string> TokenAsync(params string[] scopes)
    {
        using var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:alice-secret")));
        var query = string.Join("&", scopes.Select(s => $"scope={Uri.EscapeDataString(s)}"));
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/token?service=oci-registry&{query}"));
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
