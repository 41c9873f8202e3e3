using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AspNetCoreHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests.Tests;

/// <summary>The AspNetCoreHost sample, started as built by its own code on a free loopback port: its policy decides who may pull and push.</summary>
public sealed class AspNetCoreHostTests : IAsyncLifetime
{
    private static readonly byte[] Blob = "a layer pushed through the host"u8.ToArray();
    private static readonly string BlobDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Blob));

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("aspnetcorehost-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = SampleApp.Build(["--urls", "http://127.0.0.1:0", "--Registry:RootPath", _dataFolder]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }

    [Fact]
    public async Task Serves_ItsOwnEndpoint_WithItsOwnAuthentication()
    {
        Assert.Equal("Hello, anonymous!", await _client.GetStringAsync(new Uri("hello", UriKind.Relative)));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("hello", UriKind.Relative));
        request.Headers.Authorization = Basic("alice", "alice-secret");
        using var response = await _client.SendAsync(request);
        Assert.Equal("Hello, alice!", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lets_AnonymousUsersPull()
    {
        using var response = await _client.GetAsync(new Uri("v2/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Challenges_AnonymousPush()
    {
        using var response = await PushBlobAsync(credentials: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Forbids_PushByAUserOutsideThePublisherRole()
    {
        using var response = await PushBlobAsync(Basic("bob", "bob-secret"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Challenges_PushWithAWrongPassword()
    {
        using var response = await PushBlobAsync(Basic("alice", "not-her-password"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Accepts_PushByAPublisher_ThenServesItToAnonymousPull()
    {
        using var pushed = await PushBlobAsync(Basic("alice", "alice-secret"));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);

        using var pulled = await _client.GetAsync(new Uri($"v2/team/app/blobs/{BlobDigest}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(Blob, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task WebInterface_ChallengesAnonymousVisitors_WithTheAppsOwnScheme()
    {
        using var response = await _client.GetAsync(new Uri("registry-ui", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task WebInterface_ShowsSignedInUsersTheRepositories()
    {
        using var pushed = await PushBlobAsync(Basic("alice", "alice-secret"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("registry-ui", UriKind.Relative));
        request.Headers.Authorization = Basic("bob", "bob-secret");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"/registry-ui/tags?repository=team%2Fapp\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PushBlobAsync(AuthenticationHeaderValue? credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"v2/team/app/blobs/uploads/?digest={BlobDigest}", UriKind.Relative))
        {
            Content = new ByteArrayContent(Blob),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = credentials;
        return await _client.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
