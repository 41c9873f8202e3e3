using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Authorization;

/// <summary>
/// Guessing passwords: an unknown user costs the same bcrypt as a known one (so answer times name no users), and an
/// address that fails too often is refused with 429 and Retry-After before any bcrypt.
/// </summary>
public sealed class FailedLoginTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-logins-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AWrongPasswordCostsOneBcrypt_ForKnownAndUnknownUsersAlike()
    {
        var calls = 0;
        var file = HtpasswdFile.Load(WriteHtpasswd(_folder, ("alice", "alice-secret")), (password, hash) =>
        {
            calls++;
            return BCrypt.Net.BCrypt.Verify(password, hash);
        });

        Assert.False(file.Verify("alice", "wrong"));
        Assert.Equal(1, calls);
        Assert.False(file.Verify("mallory", "wrong"));
        Assert.Equal(2, calls);
        Assert.False(file.Verify("mallory", "alice-secret"));
        Assert.True(file.Verify("alice", "alice-secret"));
    }

    [Fact]
    public async Task BasicMode_AfterTheLimit_RefusesLoginsWith429AndRetryAfter_ButServesAnonymousPulls()
    {
        var htpasswd = WriteHtpasswd(_folder, ("alice", "alice-secret"));
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = services => services.AddOciRegistry().AddBasicAuthentication(basic =>
        {
            basic.HtpasswdPath = htpasswd;
            basic.FailedLoginLimit = 3;
            basic.FailedLoginWindow = TimeSpan.FromHours(1);
            basic.Access.Add(new AccessRule { User = "alice", Repositories = "*", Actions = ["*"] });
            basic.Access.Add(new AccessRule { User = "*", Repositories = "public/*", Actions = ["pull"] });
        }));
        (await PushImageAsync(registry, "public/app", "1", Basic("alice", "alice-secret"))).Dispose();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await SendAsync(registry, HttpMethod.Get, "/v2/team/app/tags/list", Basic(i == 0 ? "mallory" : "alice", "guess" + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await SendAsync(registry, HttpMethod.Get, "/v2/team/app/tags/list", Basic("alice", "alice-secret"));
        using var anonymous = await SendAsync(registry, HttpMethod.Get, "/v2/public/app/manifests/1", auth: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await ErrorCodeAsync(right));
        Assert.InRange(right.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task TokenServer_AfterTheLimit_RefusesLoginsWith429()
    {
        var htpasswd = WriteHtpasswd(_folder, ("alice", "alice-secret"));
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services => services.AddOciRegistry().AddTokenAuthentication().AddTokenServer(server =>
            {
                server.HtpasswdPath = htpasswd;
                server.FailedLoginLimit = 2;
                server.FailedLoginWindow = TimeSpan.FromHours(1);
            });
            o.App = app => app.MapOciRegistryTokenEndpoint();
        });

        using var first = await SendAsync(registry, HttpMethod.Get, "/token?service=oci-registry", Basic("alice", "one"));
        using var second = await registry.Client.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = "two",
        }));
        using var third = await SendAsync(registry, HttpMethod.Get, "/token?service=oci-registry", Basic("alice", "alice-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
    }
}
