using System.Net;
using Microsoft.Extensions.Configuration;
using OciRegistry.Server;
using OciRegistry.Server.Startup;

namespace OciRegistry.Interop.Tests.Auth;

/// <summary>The standalone server's auth modes and limits, as configured from the command line.</summary>
public sealed class StandaloneServerConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-server-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void UnknownAuthMode_StopsTheServer_NamingTheSetting()
    {
        var error = Assert.Throws<ConfigurationProblemsException>(() => RegistryHost.Build(["--urls", "http://127.0.0.1:0", "--OciRegistry:Auth:Mode", "ldap"]));

        Assert.StartsWith("OciRegistry:Auth:Mode 'ldap'", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigurationFiles_AreNotWatched_SoStorageWritesInTheWorkingDirectoryRaiseNoFileEvents()
    {
        await using var app = RegistryHost.Build(["--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder]);

        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, file.Source.Path));
    }

    [Fact]
    public async Task AnonymousMode_IsTheDefault()
    {
        await using var server = await StandaloneServer.StartAsync(_folder);
        using var client = new HttpClient();

        using var response = await client.GetAsync($"http://{server.HostPort}/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenMode_ChallengesWithItsOwnTokenEndpoint_AndIssuesAnonymousTokens()
    {
        await using var server = await StandaloneServer.StartAsync(
            _folder,
            "--OciRegistry:Auth:Mode", "token",
            "--OciRegistry:Auth:Token:Service", "my-registry",
            "--OciRegistry:Auth:Access:0:User", "*",
            "--OciRegistry:Auth:Access:0:Repositories", "a/*",
            "--OciRegistry:Auth:Access:0:Actions:0", "pull");
        using var client = new HttpClient();

        using var ping = await client.GetAsync($"http://{server.HostPort}/v2/");
        using var token = await client.GetAsync($"http://{server.HostPort}/token?service=my-registry&scope=repository:a/b:pull");

        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.Equal($"Bearer realm=\"http://{server.HostPort}/token\",service=\"my-registry\"", ping.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task BasicMode_ChallengesWithBasicRealm()
    {
        await using var server = await StandaloneServer.StartAsync(
            _folder,
            "--OciRegistry:Auth:Mode", "basic",
            "--OciRegistry:Auth:Basic:Realm", "Acme",
            "--OciRegistry:Auth:Basic:HtpasswdPath", WriteHtpasswd(),
            "--OciRegistry:Auth:Access:0:User", "alice",
            "--OciRegistry:Auth:Access:0:Repositories", "*",
            "--OciRegistry:Auth:Access:0:Actions:0", "pull");
        using var client = new HttpClient();

        using var ping = await client.GetAsync($"http://{server.HostPort}/v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.StartsWith("Basic realm=\"Acme\"", ping.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private string WriteHtpasswd()
    {
        var path = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(path, "alice:" + BCrypt.Net.BCrypt.HashPassword("alice-pw", workFactor: 4));
        return path;
    }

    [Fact]
    public async Task OversizedRequestHeaders_AreRefused_AtTheConfiguredLimit()
    {
        await using var server = await StandaloneServer.StartAsync(_folder, "--OciRegistry:Server:Limits:MaxRequestHeadersTotalSize", "4096");
        using var client = new HttpClient();
        using var small = new HttpRequestMessage(HttpMethod.Get, $"http://{server.HostPort}/v2/");
        small.Headers.Add("X-Padding", new string('a', 1000));
        using var large = new HttpRequestMessage(HttpMethod.Get, $"http://{server.HostPort}/v2/");
        large.Headers.Add("X-Padding", new string('a', 8000));

        using var accepted = await client.SendAsync(small);
        using var refused = await client.SendAsync(large);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
    }
}
