using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class TokenServerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-token-").FullName;
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = WriteHtpasswd(_folder, ("alice", "alice-secret"), ("bob", "bob-secret"));
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = services => services.AddOciRegistry()
                .AddTokenAuthentication()
                .AddTokenServer(server =>
                {
                    server.HtpasswdPath = htpasswd;
                    server.Access.Add(new AccessRule { User = "alice", Repositories = "team/*", Actions = ["*"] });
                    server.Access.Add(new AccessRule { User = "bob", Repositories = "team/*", Actions = ["pull"] });
                    server.Access.Add(new AccessRule { User = "*", Repositories = "public/*", Actions = ["pull"] });
                });
            o.App = app => app.MapOciRegistryTokenEndpoint();
        });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Challenge_PointsAtTheBuiltInTokenEndpoint()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/team/app/tags/list", auth: null);

        Assert.Equal(
            $"Bearer realm=\"{_registry.BaseAddress}token\",service=\"oci-registry\",scope=\"repository:team/app:pull\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task IssuedToken_GrantsWhatTheAccessListAllows_AndPushes()
    {
        var token = await FetchTokenAsync(Basic("alice", "alice-secret"), "repository:team/app:pull,push");

        using var pushed = await PushImageAsync(_registry, "team/app", "1", Bearer(token));
        using var other = await PushImageAsync(_registry, "team/other", "1", Bearer(token));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task IssuedToken_LeavesOutActionsTheUserLacks()
    {
        var token = await FetchTokenAsync(Basic("bob", "bob-secret"), "repository:team/app:pull,push");

        var access = new JsonWebToken(token).GetPayloadValue<JsonElement>("access");
        using var push = await PushBlobAsync(_registry, "team/app", [1, 2, 3], Bearer(token));

        Assert.Equal("""[{"type":"repository","name":"team/app","actions":["pull"]}]""", access.GetRawText());
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
    }

    [Fact]
    public async Task AnonymousToken_GrantsOnlyStarRules()
    {
        var token = await FetchTokenAsync(auth: null, "repository:public/app:pull repository:team/app:pull");

        var access = new JsonWebToken(token).GetPayloadValue<JsonElement>("access");

        Assert.Equal(
            """[{"type":"repository","name":"public/app","actions":["pull"]},{"type":"repository","name":"team/app","actions":[]}]""",
            access.GetRawText());
    }

    [Fact]
    public async Task TokenEndpoint_RejectsWrongPassword()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/token?service=oci-registry&scope=repository:team/app:pull", Basic("alice", "nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_RejectsAnotherService()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/token?service=elsewhere&scope=repository:team/app:pull", Basic("alice", "alice-secret"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostToken_WithThePasswordGrant_AsContainerdSendsIt_IssuesAWorkingToken()
    {
        using var response = await PostTokenAsync(new()
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = "alice-secret",
            ["service"] = "oci-registry",
            ["scope"] = "repository:team/app:pull,push",
            ["client_id"] = "containerd-client",
        });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("access_token").GetString()!;

        using var pushed = await PushImageAsync(_registry, "team/app", "1", Bearer(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(json.RootElement.GetProperty("expires_in").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
    }

    [Fact]
    public async Task PostToken_WithoutCredentials_GrantsOnlyStarRules()
    {
        using var response = await PostTokenAsync(new() { ["grant_type"] = "password", ["service"] = "oci-registry", ["scope"] = "repository:public/app:pull repository:team/app:pull" });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var access = new JsonWebToken(json.RootElement.GetProperty("access_token").GetString()!).GetPayloadValue<JsonElement>("access");

        Assert.Equal(
            """[{"type":"repository","name":"public/app","actions":["pull"]},{"type":"repository","name":"team/app","actions":[]}]""",
            access.GetRawText());
    }

    [Fact]
    public async Task PostToken_RefusesAWrongPassword_AndGrantsItDoesNotIssue()
    {
        using var wrong = await PostTokenAsync(new() { ["grant_type"] = "password", ["username"] = "alice", ["password"] = "nope", ["service"] = "oci-registry" });
        using var refresh = await PostTokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = "abc", ["service"] = "oci-registry" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("""{"error":"unsupported_grant_type"}""", await refresh.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostTokenAsync(Dictionary<string, string> form) =>
        _registry.Client.PostAsync("/token", new FormUrlEncodedContent(form));

    private async Task<string> FetchTokenAsync(System.Net.Http.Headers.AuthenticationHeaderValue? auth, string scopes)
    {
        var query = string.Join("&", scopes.Split(' ').Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        using var response = await SendAsync(_registry, HttpMethod.Get, $"/token?service=oci-registry&{query}", auth);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("expires_in").GetInt64() > 0);
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
