using System.Net;
using System.Security.Cryptography.X509Certificates;
using OciRegistry.Interop.Tests.Auth;
using OciRegistry.Interop.Tests.OciLayout;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Server;

/// <summary>The standalone server serves HTTPS with a certificate from configuration, and skopeo pushes over it.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-tls-").FullName;
    private readonly SkopeoCli _skopeo = new();
    private readonly LoopbackCertificates _certificates = LoopbackCertificates.Create("registry test CA");
    private string _certDirectory = "";

    public async Task InitializeAsync()
    {
        await _certificates.WriteServerPemAsync(_folder, "cert.pem", "key.pem");
        _certDirectory = Directory.CreateDirectory(Path.Combine(_folder, "certs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(_certDirectory, "ca.crt"), _certificates.Authority.ExportCertificatePem());
    }

    public Task DisposeAsync()
    {
        _skopeo.Dispose();
        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Server_ServesHttps_WithTheConfiguredCertificate_AndSkopeoPushesOverIt()
    {
        await using var server = await StandaloneServer.StartAsync(
            Directory.CreateDirectory(Path.Combine(_folder, "server")).FullName,
            "--urls", "https://127.0.0.1:0",
            "--Kestrel:Certificates:Default:Path", Path.Combine(_folder, "cert.pem"),
            "--Kestrel:Certificates:Default:KeyPath", Path.Combine(_folder, "key.pem"));
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return certificate?.Thumbprint == _certificates.Server.Thumbprint;
            },
        };
        using var client = new HttpClient(handler);
        var layout = new OciLayoutWriter(Path.Combine(_folder, "layout"));
        layout.Tag(layout.AddImage([1]).Manifest, "latest");

        using var response = await client.GetAsync($"https://{server.HostPort}/v2/");
        var push = await _skopeo.RunAsync("copy", "--dest-cert-dir", _certDirectory, $"oci:{layout.Folder}:latest", $"docker://{server.HostPort}/tls/app:1");
        var inspect = await _skopeo.RunAsync("inspect", "--cert-dir", _certDirectory, $"docker://{server.HostPort}/tls/app:1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_certificates.Server.Thumbprint, presented?.Thumbprint);
        Assert.True(push.ExitCode == 0, push.Describe());
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
    }
}
