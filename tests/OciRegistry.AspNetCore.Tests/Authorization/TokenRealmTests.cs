using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Authorization;

/// <summary>
/// The challenge's realm tells clients where to send their credentials: never where a request's Host header says,
/// only where configuration or a trusted proxy says.
/// </summary>
public sealed class TokenRealmTests
{
    [Fact]
    public async Task AForgedHostHeader_DoesNotMoveTheRealm()
    {
        await using var registry = await StartAsync(forwarding: null);

        var challenge = await ChallengeAsync(registry, ("Host", "evil.example.com"), ("X-Forwarded-Host", "evil.example.com"));

        Assert.StartsWith($"Bearer realm=\"http://{registry.HostPort}/token\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrustedProxy_SetsTheRealm_WithItsForwardedProtoAndHost()
    {
        await using var registry = await StartAsync(forwarding => forwarding.ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto);

        var challenge = await ChallengeAsync(registry, ("X-Forwarded-Host", "registry.example.com"), ("X-Forwarded-Proto", "https"));

        Assert.StartsWith("Bearer realm=\"https://registry.example.com/token\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUntrustedPeer_IsNotBelieved_WhenItSaysItIsAProxy()
    {
        await using var registry = await StartAsync(forwarding =>
        {
            forwarding.ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto;
            forwarding.KnownProxies.Clear();
            forwarding.KnownIPNetworks.Clear();
            forwarding.KnownProxies.Add(IPAddress.Parse("10.1.2.3"));
        });

        var challenge = await ChallengeAsync(registry, ("X-Forwarded-Host", "evil.example.com"), ("X-Forwarded-Proto", "https"));

        Assert.StartsWith($"Bearer realm=\"http://{registry.HostPort}/token\"", challenge, StringComparison.Ordinal);
    }

    private static Task<InProcessRegistry> StartAsync(Action<ForwardedHeadersOptions>? forwarding) =>
        InProcessRegistry.StartAsync(o => o.Services = services =>
        {
            services.AddOciRegistry().AddTokenAuthentication(token => token.SharedSecret = TestTokens.Secret);
            if (forwarding is not null)
            {
                services.Configure(forwarding);
            }
        });

    private static async Task<string> ChallengeAsync(InProcessRegistry registry, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/tags/list");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return response.Headers.WwwAuthenticate.ToString();
    }
}
