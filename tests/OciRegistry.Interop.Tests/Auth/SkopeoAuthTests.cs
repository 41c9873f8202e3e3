using OciRegistry.Interop.Tests.OciLayout;
using OciRegistry.Interop.Tests.Skopeo;

namespace OciRegistry.Interop.Tests.Auth;

/// <summary>skopeo with credentials against the standalone server in <c>basic</c> and <c>token</c> mode.</summary>
public sealed class SkopeoAuthTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-skopeo-auth-").FullName;
    private readonly SkopeoCli _skopeo = new();
    private string _htpasswd = "";
    private string _layout = "";

    public Task InitializeAsync()
    {
        _htpasswd = Path.Combine(_folder, "htpasswd");
        File.WriteAllLines(_htpasswd,
        [
            "alice:" + BCrypt.Net.BCrypt.HashPassword("alice-pw", workFactor: 4),
            "bob:" + BCrypt.Net.BCrypt.HashPassword("bob-pw", workFactor: 4),
        ]);
        _layout = Path.Combine(_folder, "layout");
        var layout = new OciLayoutWriter(_layout);
        layout.Tag(layout.AddImage([Random.Shared.Next()]).Manifest, "latest");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _skopeo.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Skopeo_PushesAndInspects_WithCredentials(string mode)
    {
        await using var server = await StartAsync(mode);

        var push = await _skopeo.RunAsync("copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw", $"oci:{_layout}:latest", $"docker://{server.HostPort}/team/app:1.0");
        var inspect = await _skopeo.RunAsync("inspect", "--tls-verify=false", "--creds", "bob:bob-pw", $"docker://{server.HostPort}/team/app:1.0");

        Assert.True(push.ExitCode == 0, push.Describe());
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
        // The tag and the config's platform prove the round trip through the registry.
        Assert.Contains("\"1.0\"", inspect.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"Architecture\": \"amd64\"", inspect.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Skopeo_IsRefused_WithoutPushRights_OrWithWrongPassword(string mode)
    {
        await using var server = await StartAsync(mode);

        var readOnly = await _skopeo.RunAsync("copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", $"oci:{_layout}:latest", $"docker://{server.HostPort}/team/app:1.0");
        var wrongPassword = await _skopeo.RunAsync("copy", "--dest-tls-verify=false", "--dest-creds", "alice:nope", $"oci:{_layout}:latest", $"docker://{server.HostPort}/team/app:1.0");
        var anonymous = await _skopeo.RunAsync("inspect", "--tls-verify=false", "--no-creds", $"docker://{server.HostPort}/team/app:1.0");

        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.NotEqual(0, wrongPassword.ExitCode);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(server.Folder, "data")) && Directory.EnumerateFiles(Path.Combine(server.Folder, "data"), "*", SearchOption.AllDirectories)
            .Any(path => path.Contains("team", StringComparison.Ordinal) && path.Contains("app", StringComparison.Ordinal) && path.Contains("tags", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Skopeo_LogsIn_ToTheBuiltInTokenServer()
    {
        await using var server = await StartAsync("token");
        var authFile = Path.Combine(_folder, "auth.json");

        var login = await _skopeo.RunAsync("login", "--tls-verify=false", "--authfile", authFile, "-u", "alice", "-p", "alice-pw", server.HostPort);
        var push = await _skopeo.RunAsync("copy", "--dest-tls-verify=false", "--dest-authfile", authFile, $"oci:{_layout}:latest", $"docker://{server.HostPort}/team/login:1.0");

        Assert.True(login.ExitCode == 0, login.Describe());
        Assert.True(push.ExitCode == 0, push.Describe());
    }

    private Task<StandaloneServer> StartAsync(string mode) => StandaloneServer.StartAsync(
        Directory.CreateDirectory(Path.Combine(_folder, "server")).FullName,
        "--OciRegistry:Auth:Mode", mode,
        "--OciRegistry:Auth:Basic:HtpasswdPath", _htpasswd,
        "--OciRegistry:Auth:Access:0:User", "alice",
        "--OciRegistry:Auth:Access:0:Repositories", "team/*",
        "--OciRegistry:Auth:Access:0:Actions:0", "pull",
        "--OciRegistry:Auth:Access:0:Actions:1", "push",
        "--OciRegistry:Auth:Access:1:User", "bob",
        "--OciRegistry:Auth:Access:1:Repositories", "team/*",
        "--OciRegistry:Auth:Access:1:Actions:0", "pull");
}
