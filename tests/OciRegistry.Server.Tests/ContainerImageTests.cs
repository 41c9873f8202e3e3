using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server's container image as the SDK builds it (<c>dotnet publish -t:PublishContainer</c>, no Dockerfile, no
/// daemon) and pushes it into our own registry: the standalone server, plain HTTP on loopback, basic auth, as README's
/// .NET SDK recipe sets it up. skopeo pulls it back, and its config says how the image runs. The base image is a
/// stand-in for ASP.NET Core's (not reachable here) in the same registry, so only the image's own settings are checked.
/// </summary>
[Collection(ServerPublishCollection.Name)]
public sealed class ContainerImageTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly SkopeoCli _skopeo = new();

    public void Dispose()
    {
        _skopeo.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PublishContainer_PushesTheImage_IntoOurRegistry_AndItRunsTheServer_AsANonRootUser_OnPort5000_WithDataInVarLib()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path,
            null,
            "--urls", "http://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Auth:Mode", "basic",
            "--OciRegistry:Auth:Basic:HtpasswdPath", _folder.WriteHtpasswd(TemporaryFolder.BcryptEntry("ci", "ci-pw")),
            "--OciRegistry:Auth:Access:0:User", "ci",
            "--OciRegistry:Auth:Access:0:Repositories", "*",
            "--OciRegistry:Auth:Access:0:Actions:0", "pull",
            "--OciRegistry:Auth:Access:0:Actions:1", "push");
        var registry = new Uri(server.Addresses.Single()).Authority;
        await SeedBaseImageAsync(server.Addresses.Single());

        var publish = await ServerPublish.RunAsync(
            [
                "-t:PublishContainer",
                "-o", Path.Combine(_folder.Path, "publish"),
                "-p:ContainerRuntimeIdentifier=linux-x64",
                $"-p:ContainerBaseImage={registry}/dotnet/aspnet:10.0",
                $"-p:ContainerRegistry={registry}",
                "-p:ContainerImageTag=1.0",
            ],
            new Dictionary<string, string>
            {
                ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry,
                ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "ci",
                ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "ci-pw",
            });
        Assert.True(publish.ExitCode == 0, publish.Describe());
        var image = $"docker://{registry}/oci-registry:1.0";
        var pulled = Path.Combine(_folder.Path, "pulled");
        var configJson = await _skopeo.RunSucceedingAsync("inspect", "--config", "--tls-verify=false", "--creds", "ci:ci-pw", image);
        await _skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", "--src-creds", "ci:ci-pw", image, "dir:" + pulled);

        using var config = JsonDocument.Parse(configJson);
        var settings = config.RootElement.GetProperty("config");
        Assert.Equal(["dotnet", "/app/OciRegistry.Server.dll"], settings.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app/", settings.GetProperty("WorkingDir").GetString());
        Assert.Equal("1654", settings.GetProperty("User").GetString());
        Assert.Equal(["5000/tcp"], settings.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        var environment = settings.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ASPNETCORE_HTTP_PORTS=5000", environment);
        Assert.Contains("OciRegistry__Storage__RootPath=/var/lib/oci-registry", environment);
        Assert.Equal(("linux", "amd64"), (config.RootElement.GetProperty("os").GetString(), config.RootElement.GetProperty("architecture").GetString()));
        // The image's own layer, pulled back whole, holds the server the entrypoint names.
        Assert.Contains("app/OciRegistry.Server.dll", await ReadTopLayerEntriesAsync(pulled));
    }

    // The base image, pushed with the registry's own credentials as an operator would mirror it in.
    private static async Task SeedBaseImageAsync(string address)
    {
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ci:ci-pw"u8));
        await new RegistrySeeder(client).PushImageAsync("dotnet/aspnet", "10.0", [Encoding.UTF8.GetBytes("a stand-in for the base image's files")]);
    }

    // The app's layer is the last, on top of the base image's.
    private static async Task<List<string>> ReadTopLayerEntriesAsync(string folder)
    {
        using var manifest = SkopeoDirectory.ReadManifest(folder);
        await using var layer = SkopeoDirectory.OpenLayer(folder, manifest.RootElement.GetProperty("layers").EnumerateArray().Last());
        await using var tar = new TarReader(layer);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }

        return names;
    }
}
