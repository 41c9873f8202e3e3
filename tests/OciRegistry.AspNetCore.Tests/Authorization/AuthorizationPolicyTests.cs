using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class AuthorizationPolicyTests : IAsyncLifetime
{
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await StartAsync(wwwAuthenticate: null);

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Pull_IsOpenToEveryone()
    {
        using var pushed = await PushAsync("library/app", "pat", "publisher");

        using var anonymous = await SendAsUserAsync(HttpMethod.Get, "/v2/library/app/manifests/1.0", user: null, roles: null);
        using var ping = await SendAsUserAsync(HttpMethod.Get, "/v2/", user: null, roles: null);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Push_ByAnonymousCaller_GetsTheHostsChallenge_AndWritesNothing()
    {
        using var response = await SendAsUserAsync(HttpMethod.Post, "/v2/library/app/blobs/uploads/", user: null, roles: null);
        using var tags = await SendAsUserAsync(HttpMethod.Get, "/v2/library/app/tags/list", user: null, roles: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORIZED", await ErrorCodeAsync(response));
        Assert.Equal("TestScheme realm=\"host\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
    }

    [Fact]
    public async Task Push_BySignedInUserWithoutRole_IsDenied()
    {
        using var response = await PushAsync("library/app", "eve", roles: null);
        using var tags = await SendAsUserAsync(HttpMethod.Get, "/v2/library/app/tags/list", user: null, roles: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DENIED", await ErrorCodeAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
    }

    [Fact]
    public async Task Push_ToOwnNamespace_IsAllowedWithoutRole_AndOthersAreNot()
    {
        using var own = await PushAsync("eve/tools", "eve", roles: null);
        using var someoneElses = await PushAsync("mallory/tools", "eve", roles: null);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, someoneElses.StatusCode);
    }

    [Fact]
    public async Task Catalog_IsForPublishers()
    {
        using var publisher = await SendAsUserAsync(HttpMethod.Get, "/v2/_catalog", "pat", "publisher");
        using var other = await SendAsUserAsync(HttpMethod.Get, "/v2/_catalog", "eve", roles: null);

        Assert.Equal(HttpStatusCode.OK, publisher.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task ConfiguredWwwAuthenticate_ReplacesTheHostsChallenge()
    {
        await using var registry = await StartAsync(wwwAuthenticate: "Bearer realm=\"https://login.example.test\"");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/library/app/blobs/uploads/");
        using var response = await registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"https://login.example.test\"", response.Headers.WwwAuthenticate.ToString());
    }

    private static Task<InProcessRegistry> StartAsync(string? wwwAuthenticate) => InProcessRegistry.StartAsync(o =>
    {
        o.Services = services =>
        {
            services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            services.AddAuthorizationBuilder().AddPolicy("registry-access", policy => policy.AddRequirements(new RegistryPolicyRequirement()));
            services.AddSingleton<IAuthorizationHandler, RegistryPolicyHandler>();
            services.AddOciRegistry().AddAuthorizationPolicies(policies =>
            {
                policies.PolicyName = "registry-access";
                policies.WwwAuthenticate = wwwAuthenticate;
            });
        };
        o.App = app => app.UseAuthentication();
    });

    private async Task<HttpResponseMessage> PushAsync(string repository, string user, string? roles)
    {
        foreach (var blob in new[] { Config, Layer })
        {
            var pushed = await SendAsUserAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={DigestOf(blob)}", user, roles, new ByteArrayContent(blob));
            if (!pushed.IsSuccessStatusCode)
            {
                return pushed;
            }
        }

        return await SendAsUserAsync(HttpMethod.Put, $"/v2/{repository}/manifests/1.0", user, roles, ImageManifest());
    }

    private async Task<HttpResponseMessage> SendAsUserAsync(HttpMethod method, string path, string? user, string? roles, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }

        if (roles is not null)
        {
            request.Headers.Add("X-Test-Roles", roles);
        }

        return await _registry.Client.SendAsync(request);
    }

    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{}");
    private static readonly byte[] Layer = Encoding.UTF8.GetBytes("policy layer");

    private static ByteArrayContent ImageManifest()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(Config)}}","size":{{Config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{DigestOf(Layer)}}","size":{{Layer.Length}}}]}
            """));
        content.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        return content;
    }
}
