using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server's container image as the SDK builds it (<c>dotnet publish -t:PublishContainer</c>) into a tarball, no
/// daemon: its config says how the image runs. The base image comes from a registry of the test's own on loopback
/// (a stand-in for ASP.NET Core's, which is not reachable here), so only the image's own settings are checked.
/// </summary>
public sealed class ContainerImageTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PublishContainer_MakesAnImage_ThatRunsTheServer_AsANonRootUser_OnPort5000_WithDataInVarLib()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        await registry.Seeder.PushImageAsync("dotnet/aspnet", "10.0", [Encoding.UTF8.GetBytes("a stand-in for the base image's files")]);
        var archive = Path.Combine(_folder.Path, "oci-registry.tar");

        var publish = await RunAsync(
            "dotnet",
            [
                "publish", ProjectPath(), "-c", "Release", "-t:PublishContainer", "--nologo",
                "-o", Path.Combine(_folder.Path, "publish"),
                "-p:ContainerRuntimeIdentifier=linux-x64",
                $"-p:ContainerBaseImage={registry.HostPort}/dotnet/aspnet:10.0",
                $"-p:ContainerArchiveOutputPath={archive}",
            ],
            new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.HostPort });
        Assert.True(publish.ExitCode == 0, publish.Output);

        using var config = JsonDocument.Parse(await ReadConfigAsync(archive));
        var settings = config.RootElement.GetProperty("config");
        Assert.Equal(["dotnet", "/app/OciRegistry.Server.dll"], settings.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app/", settings.GetProperty("WorkingDir").GetString());
        Assert.Equal("1654", settings.GetProperty("User").GetString());
        Assert.Equal(["5000/tcp"], settings.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        var environment = settings.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ASPNETCORE_HTTP_PORTS=5000", environment);
        Assert.Contains("OciRegistry__Storage__RootPath=/var/lib/oci-registry", environment);
        Assert.Equal(("linux", "amd64"), (config.RootElement.GetProperty("os").GetString(), config.RootElement.GetProperty("architecture").GetString()));
    }

    // The archive is an uncompressed tar of an OCI image layout: index.json names the manifest, the manifest the config.
    private static async Task<string> ReadConfigAsync(string archive)
    {
        var documents = new Dictionary<string, string>();
        await using (var file = File.OpenRead(archive))
        await using (var tar = new TarReader(file))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is not null && entry.Length < 1 << 20)
                {
                    using var reader = new StreamReader(entry.DataStream);
                    documents[entry.Name.TrimStart('.', '/')] = await reader.ReadToEndAsync();
                }
            }
        }

        string Blob(string digest) => documents["blobs/" + digest.Replace(':', '/')];
        using var index = JsonDocument.Parse(documents["index.json"]);
        using var manifest = JsonDocument.Parse(Blob(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!));
        return Blob(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
    }

    private static string ProjectPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "OciRegistry.Core.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("OciRegistry.Core.sln not found above " + AppContext.BaseDirectory), "src", "OciRegistry.Server", "OciRegistry.Server.csproj");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
