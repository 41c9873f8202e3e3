using OciRegistry.Interop.Tests.Auth;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Containerd;

/// <summary>
/// README's node recipe for containerd, run: the standalone server on TLS with a certificate from the registry's own
/// CA and basic auth; containerd trusts that CA through a <c>hosts.toml</c> <c>ca =</c> line in its hosts folder
/// (<c>config_path</c> for the CRI plugin, <c>--hosts-dir</c> for <c>ctr</c>: the same resolver) and pulls with the
/// node's credentials.
/// </summary>
public sealed class ContainerdTlsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-containerd-tls-").FullName;
    private readonly LoopbackCertificates _certificates = LoopbackCertificates.Create("registry test CA");
    private StandaloneServer _server = null!;

    public async Task InitializeAsync()
    {
        await _certificates.WriteServerPemAsync(_folder, "registry.crt", "registry.key");
        var htpasswd = Path.Combine(_folder, "htpasswd");
        await File.WriteAllLinesAsync(htpasswd, ["node:" + BCrypt.Net.BCrypt.HashPassword("node-pw", workFactor: 4)]);

        _server = await StandaloneServer.StartAsync(
            Directory.CreateDirectory(Path.Combine(_folder, "server")).FullName,
            "--urls", "https://127.0.0.1:0",
            "--Kestrel:Certificates:Default:Path", Path.Combine(_folder, "registry.crt"),
            "--Kestrel:Certificates:Default:KeyPath", Path.Combine(_folder, "registry.key"),
            "--OciRegistry:Auth:Mode", "basic",
            "--OciRegistry:Auth:Basic:HtpasswdPath", htpasswd,
            "--OciRegistry:Auth:Access:0:User", "node",
            "--OciRegistry:Auth:Access:0:Repositories", "*",
            "--OciRegistry:Auth:Access:0:Actions:0", "pull",
            "--OciRegistry:Auth:Access:0:Actions:1", "push");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Containerd_PullsOverTls_TrustingTheRegistryCa_FromHostsToml_WithCredentials()
    {
        var image = await SeedAsync();
        var hostsDirectory = await WriteHostsTomlAsync("certs.d", trustCa: true);
        await using var containerd = await ContainerdDaemon.StartAsync();

        await containerd.CtrSucceedingAsync("images", "pull", "--hosts-dir", hostsDirectory, "--user", "node:node-pw", $"{_server.HostPort}/team/app:1.0");
        var images = await containerd.CtrSucceedingAsync("images", "ls");

        Assert.Contains($"{_server.HostPort}/team/app:1.0", images, StringComparison.Ordinal);
        Assert.Contains(image.ManifestDigest.ToString(), images, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containerd_RefusesTheRegistry_WithoutTheCaLine_OrWithoutCredentials()
    {
        await SeedAsync();
        var withoutCaLine = await WriteHostsTomlAsync("without-ca", trustCa: false);
        var recipe = await WriteHostsTomlAsync("certs.d", trustCa: true);
        await using var containerd = await ContainerdDaemon.StartAsync();

        var untrusted = await containerd.CtrAsync("images", "pull", "--hosts-dir", withoutCaLine, "--user", "node:node-pw", $"{_server.HostPort}/team/app:1.0");
        var anonymous = await containerd.CtrAsync("images", "pull", "--hosts-dir", recipe, $"{_server.HostPort}/team/app:1.0");

        Assert.True(untrusted.ExitCode != 0 && untrusted.StandardError.Contains("certificate signed by unknown authority", StringComparison.Ordinal), untrusted.Describe());
        Assert.True(anonymous.ExitCode != 0 && anonymous.StandardError.Contains("401 Unauthorized", StringComparison.Ordinal), anonymous.Describe());
    }

    // README's recipe: one folder per registry host, named host:port, with hosts.toml and the CA beside it. containerd
    // speaks plain HTTP to a loopback registry unless a hosts.toml says https.
    private async Task<string> WriteHostsTomlAsync(string name, bool trustCa)
    {
        var hostsDirectory = Path.Combine(_folder, name);
        var hostDirectory = Directory.CreateDirectory(Path.Combine(hostsDirectory, _server.HostPort)).FullName;
        var caPath = Path.Combine(hostDirectory, "ca.crt");
        await File.WriteAllTextAsync(caPath, _certificates.Authority.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(hostDirectory, "hosts.toml"), $"""
            server = "https://{_server.HostPort}"
            [host."https://{_server.HostPort}"]
              capabilities = ["pull", "resolve"]
            {(trustCa ? $"  ca = \"{caPath}\"" : "")}
            """);
        return hostsDirectory;
    }

    private async Task<Testing.SeededImage> SeedAsync()
    {
        using var handler = new HttpClientHandler
        {
            // The registry's certificate must chain to its CA, as on a node.
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) => _certificates.ChainsToAuthority(certificate!, chain!),
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://{_server.HostPort}") };
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("node:node-pw"u8));
        return await new Testing.RegistrySeeder(client).PushImageAsync("team/app", "1.0", [Layers.Tar("app/hello.txt", "hello over TLS")]);
    }
}
