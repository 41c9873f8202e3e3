using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class TokenAuthenticationTests : IAsyncLifetime
{
    private const string Realm = "https://auth.example.test/token";
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = services => services.AddOciRegistry().AddTokenAuthentication(token =>
            {
                token.Realm = Realm;
                token.Service = TestTokens.Service;
                token.Issuer = TestTokens.Issuer;
                token.SharedSecret = TestTokens.Secret;
            });
        });
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Base_ChallengesWithBearerRealmAndService()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/", auth: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer realm=\"{Realm}\",service=\"{TestTokens.Service}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Push_WithoutToken_ChallengesWithPushScope()
    {
        using var response = await SendAsync(_registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", auth: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            $"Bearer realm=\"{Realm}\",service=\"{TestTokens.Service}\",scope=\"repository:team/app:pull,push\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Token_ForTheRepository_PushesAndPulls()
    {
        var token = Bearer(TestTokens.Mint("team/app", ["pull", "push"]));

        using var pushed = await PushImageAsync(_registry, "team/app", "1.0", token);
        using var pulled = await SendAsync(_registry, HttpMethod.Get, "/v2/team/app/manifests/1.0", token);
        using var pinged = await SendAsync(_registry, HttpMethod.Get, "/v2/", token);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pinged.StatusCode);
    }

    [Fact]
    public async Task Token_ForOneRepository_DoesNotOpenAnother_AndWritesNothing()
    {
        var token = Bearer(TestTokens.Mint("team/app", ["pull", "push"]));
        var before = FilesOf(_registry);

        using var push = await PushImageAsync(_registry, "team/other", "1.0", token);
        using var prefix = await PushImageAsync(_registry, "team/app2", "1.0", token);
        using var pull = await SendAsync(_registry, HttpMethod.Get, "/v2/team/other/tags/list", token);

        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", pull.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"repository:team/other:pull\"", pull.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, FilesOf(_registry));
    }

    [Fact]
    public async Task PullToken_DoesNotAllowPush_OrDelete()
    {
        var token = Bearer(TestTokens.Mint("team/app", ["pull"]));

        using var push = await PushBlobAsync(_registry, "team/app", Encoding.UTF8.GetBytes("x"), token);
        using var delete = await SendAsync(_registry, HttpMethod.Delete, "/v2/team/app/manifests/latest", token);

        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
    }

    public static TheoryData<string, string> RefusedTokens()
    {
        var otherSecret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another secret that is long enough, too"));
        return new TheoryData<string, string>
        {
            { "expired", TestTokens.Mint("team/app", ["pull", "push"], expires: DateTime.UtcNow.AddHours(-1)) },
            { "wrong audience", TestTokens.Mint("team/app", ["pull", "push"], audience: "another-registry") },
            { "wrong issuer", TestTokens.Mint("team/app", ["pull", "push"], issuer: "someone-else") },
            { "wrong key", TestTokens.Mint("team/app", ["pull", "push"], key: otherSecret) },
            { "not a jwt", "not.a.jwt" },
            { "unsigned", UnsignedToken() },
        };
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Refuses_InvalidTokens_WithInvalidTokenChallenge(string why, string token)
    {
        var before = FilesOf(_registry);

        using var response = await PushImageAsync(_registry, "team/app", "1.0", Bearer(token));

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, FilesOf(_registry));
    }

    [Fact]
    public async Task Catalog_NeedsRegistryCatalogScope_WhichListsEveryRepository()
    {
        var repositoryToken = Bearer(TestTokens.Mint("team/app", ["pull", "push"]));
        (await PushImageAsync(_registry, "team/app", "1", repositoryToken)).Dispose();

        using var withoutScope = await SendAsync(_registry, HttpMethod.Get, "/v2/_catalog", repositoryToken);
        using var catalogOnly = await SendAsync(_registry, HttpMethod.Get, "/v2/_catalog", Bearer(TestTokens.Mint("catalog", ["*"], type: "registry")));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutScope.StatusCode);
        Assert.Contains("scope=\"registry:catalog:*\"", withoutScope.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, catalogOnly.StatusCode);
        // registry:catalog:* is the right to list the registry: every repository, pull rights or not (as in CNCF Distribution).
        Assert.Contains("\"repositories\":[\"team/app\"]", await catalogOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_WithoutPullOnSource_FallsBackToUpload()
    {
        var layer = Encoding.UTF8.GetBytes("token layer");
        (await PushImageAsync(_registry, "team/source", "1", Bearer(TestTokens.Mint("team/source", ["pull", "push"])), layer)).Dispose();
        var pushOnlyTarget = Bearer(TestTokens.Mint("team/target", ["pull", "push"]));

        using var mount = await SendAsync(_registry, HttpMethod.Post, $"/v2/team/target/blobs/uploads/?mount={DigestOf(layer)}&from=team/source", pushOnlyTarget);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
    }

    [Fact]
    public async Task Mount_WithPullOnSourceInTheToken_LinksTheBlob()
    {
        var layer = Encoding.UTF8.GetBytes("mountable token layer");
        (await PushImageAsync(_registry, "team/source", "1", Bearer(TestTokens.Mint("team/source", ["pull", "push"])), layer)).Dispose();
        var both = Bearer(TestTokens.MintMany(("team/target", ["pull", "push"]), ("team/source", ["pull"])));

        using var mount = await SendAsync(_registry, HttpMethod.Post, $"/v2/team/target/blobs/uploads/?mount={DigestOf(layer)}&from=team/source", both);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public async Task Accepts_TokensSignedWithConfiguredPublicKeyPem(string kind)
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SecurityKey signing = kind == "rsa" ? new RsaSecurityKey(rsa) : new ECDsaSecurityKey(ecdsa);
        var publicPem = kind == "rsa" ? rsa.ExportSubjectPublicKeyInfoPem() : ecdsa.ExportSubjectPublicKeyInfoPem();
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = services => services.AddOciRegistry().AddTokenAuthentication(token =>
        {
            token.Service = TestTokens.Service;
            token.Issuer = TestTokens.Issuer;
            token.PublicKeyPem = publicPem;
        }));

        using var pushed = await PushImageAsync(registry, "team/app", "1", Bearer(TestTokens.Mint("team/app", ["pull", "push"], key: signing)));
        using var forged = await PushImageAsync(registry, "team/app", "2", Bearer(TestTokens.Mint("team/app", ["pull", "push"])));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    private static string UnsignedToken()
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return Encode("""{"alg":"none","typ":"JWT"}""") + "." + Encode(
            $$"""{"iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Service}}","exp":{{exp}},"access":[{"type":"repository","name":"team/app","actions":["pull","push"]}]}""") + ".";
    }
}
