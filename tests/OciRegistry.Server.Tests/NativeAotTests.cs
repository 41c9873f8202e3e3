using System.Security.Cryptography;
using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server as Native AOT: it publishes without one trimming or AOT warning, and the native executable serves
/// pushes and pulls by skopeo in every auth mode (the modes' services are built without reflection there).
/// </summary>
[Collection(ServerPublishCollection.Name)]
public sealed class NativeAotTests(NativeServerBuild build) : IClassFixture<NativeServerBuild>, IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly SkopeoCli _skopeo = new();

    public void Dispose()
    {
        _skopeo.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Publish_HasNoTrimmingOrAotWarnings_AndMakesANativeExecutable()
    {
        Assert.True(build.Publish.ExitCode == 0, build.Publish.Describe());
        Assert.DoesNotContain("warning", build.Publish.StandardOutput + build.Publish.StandardError, StringComparison.OrdinalIgnoreCase);
        // An ELF executable and no managed entry assembly beside it: the runtime is compiled in.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(Path.Combine(build.Folder, "OciRegistry.Server"))[..4]);
        Assert.False(File.Exists(Path.Combine(build.Folder, "OciRegistry.Server.dll")));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task NativeServer_TakesAPush_AndServesItBack(string mode)
    {
        await using var source = await InProcessRegistry.StartAsync();
        var image = await source.Seeder.PushImageAsync("app", "1.0", [RandomNumberGenerator.GetBytes(2048), Encoding.UTF8.GetBytes("second layer")]);
        await using var server = await ServerProcess.StartServingAsync(build.Program, _folder.Path, null, ServeSettings(mode));
        var target = $"docker://{new Uri(server.Addresses.Single()).Authority}/team/app:1.0";
        var pulled = Path.Combine(_folder.Path, "pulled");

        await _skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw", $"docker://{source.HostPort}/app:1.0", target);
        await _skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", "--src-creds", "bob:bob-pw", target, "dir:" + pulled);

        // skopeo gzips the seeded tar layers on the way in (and checks every digest on the way out): the pulled image
        // has the seeded config, and its layers hold the seeded bytes.
        Assert.Equal(image.ConfigDigest, DigestHasher.Compute(await File.ReadAllBytesAsync(SkopeoDirectory.BlobPath(pulled, image.ConfigDigest.ToString()))));
        using var manifest = SkopeoDirectory.ReadManifest(pulled);
        var layers = new List<Digest>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            await using var content = SkopeoDirectory.OpenLayer(pulled, layer);
            using var uncompressed = new MemoryStream();
            await content.CopyToAsync(uncompressed);
            layers.Add(DigestHasher.Compute(uncompressed.ToArray()));
        }

        Assert.Equal(image.LayerDigests, layers);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task NativeServer_RefusesAPush_WithoutPushRights(string mode)
    {
        await using var source = await InProcessRegistry.StartAsync();
        await source.Seeder.PushImageAsync("app", "1.0", [Encoding.UTF8.GetBytes("a layer")]);
        await using var server = await ServerProcess.StartServingAsync(build.Program, _folder.Path, null, ServeSettings(mode));
        var target = $"docker://{new Uri(server.Addresses.Single()).Authority}/team/app:1.0";

        var readOnly = await _skopeo.RunAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", $"docker://{source.HostPort}/app:1.0", target);
        var wrongPassword = await _skopeo.RunAsync("inspect", "--raw", "--tls-verify=false", "--creds", "alice:nope", target);

        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("denied", readOnly.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, wrongPassword.ExitCode);
    }

    [Fact]
    public async Task NativeServer_RefusesTheWebInterface_InOneLine()
    {
        var run = await ServerProcess.RunAsync(build.Program, _folder.Path, null, [.. ServeSettings("anonymous"), "--OciRegistry:Ui:Enabled", "true"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: OciRegistry:Ui:Enabled is true, but this native build", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    // alice may push and pull team/*, bob only pull; the htpasswd file is bcrypt, as htpasswd -B writes it.
    private string[] ServeSettings(string mode) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--OciRegistry:Storage:RootPath", _folder.Storage,
        "--OciRegistry:Auth:Mode", mode,
        "--OciRegistry:Auth:Basic:HtpasswdPath", _folder.WriteHtpasswd(TemporaryFolder.BcryptEntry("alice", "alice-pw"), TemporaryFolder.BcryptEntry("bob", "bob-pw")),
        "--OciRegistry:Auth:Access:0:User", "alice",
        "--OciRegistry:Auth:Access:0:Repositories", "team/*",
        "--OciRegistry:Auth:Access:0:Actions:0", "pull",
        "--OciRegistry:Auth:Access:0:Actions:1", "push",
        "--OciRegistry:Auth:Access:1:User", "bob",
        "--OciRegistry:Auth:Access:1:Repositories", "team/*",
        "--OciRegistry:Auth:Access:1:Actions:0", "pull",
    ];
}
