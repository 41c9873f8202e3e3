using System.Net;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server listens where any of ASP.NET Core's settings say (the official container images set
/// ASPNETCORE_HTTP_PORTS), and a started server's summary names its addresses, storage and auth.
/// </summary>
public sealed class ListeningTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> ListenSettings => new()
    {
        { "ASPNETCORE_HTTP_PORTS", "0" },
        { "ASPNETCORE_URLS", "http://127.0.0.1:0" },
        { "Kestrel__Endpoints__Http__Url", "http://127.0.0.1:0" },
    };

    [Theory]
    [MemberData(nameof(ListenSettings))]
    public async Task Listens_WhereTheEnvironmentSays(string variable, string value)
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, new Dictionary<string, string> { [variable] = value }, "--OciRegistry:Storage:RootPath", _folder.Storage);
        var port = new Uri(server.Addresses.Single().Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        using var client = new HttpClient();

        using var response = await client.GetAsync($"http://127.0.0.1:{port}/v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("localhost:5000", server.Addresses.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_NamesVersion_Storage_AuthWithUsersAndRules_Limits_AndCollection()
    {
        var htpasswd = _folder.WriteHtpasswd(TemporaryFolder.BcryptEntry("alice", "a"), TemporaryFolder.BcryptEntry("bob", "b"));

        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path,
            null,
            "--urls", "http://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", "relative-data",
            "--OciRegistry:Auth:Mode", "basic",
            "--OciRegistry:Auth:Basic:HtpasswdPath", htpasswd,
            "--OciRegistry:Auth:Access:0:User", "alice",
            "--OciRegistry:Auth:Access:0:Repositories", "*",
            "--OciRegistry:Auth:Access:0:Actions:0", "push",
            "--OciRegistry:Gc:Interval", "06:00:00");
        await server.WaitForOutputAsync("Garbage collection:");

        Assert.Matches(@"OciRegistry\.Server \d+\.\d+\.\d+\S* listening on http://127\.0\.0\.1:\d+", server.Output);
        Assert.Contains($"Storage: file system at {Path.Combine(_folder.Path, "relative-data")}", server.Output, StringComparison.Ordinal);
        Assert.Contains("Auth: basic, 2 users, 1 access rules", server.Output, StringComparison.Ordinal);
        Assert.Contains("Limits: blob unlimited bytes, manifest 4194304 bytes", server.Output, StringComparison.Ordinal);
        Assert.Contains("Garbage collection: every 06:00:00, grace period 01:00:00", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("bin/", server.Output, StringComparison.Ordinal);
    }
}
