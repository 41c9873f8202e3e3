using System.Net;
using System.Net.Sockets;
using System.Text;
using OciRegistry.Tests;

namespace OciRegistry.Server.Tests;

/// <summary>
/// What a misconfigured node meets on the TLS port: a plain-HTTP request is answered 400 with a message (as the Go
/// reference registry does), a handshake the client aborts is logged with the peer's address.
/// </summary>
public sealed class TlsListeningTests : IAsyncLifetime
{
    private readonly TemporaryFolder _folder = new();
    private readonly LoopbackCertificates _certificates = LoopbackCertificates.Create("registry test CA");
    private ServerProcess _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        await _certificates.WriteServerPemAsync(_folder.Path, "cert.pem", "key.pem");
        _server = await ServerProcess.StartServingAsync(
            _folder.Path,
            null,
            "--urls", "https://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--Kestrel:Certificates:Default:Path", "cert.pem",
            "--Kestrel:Certificates:Default:KeyPath", "key.pem");
        _port = new Uri(_server.Addresses.Single()).Port;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PlainHttp_OnTheTlsPort_Gets400_WithAMessage()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync($"http://127.0.0.1:{_port}/v2/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Client sent an HTTP request to an HTTPS server.\n", await response.Content.ReadAsStringAsync());
        await _server.WaitForOutputAsync("Plain HTTP request from 127.0.0.1:");
    }

    [Fact]
    public async Task FailedHandshake_IsLogged_WithThePeerAddress()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        var peer = (IPEndPoint)tcp.Client.LocalEndPoint!;
        await using (var tls = new System.Net.Security.SslStream(tcp.GetStream()))
        {
            // A client without the registry's CA refuses the certificate and closes: no request is ever sent.
            var refused = await Record.ExceptionAsync(() => tls.AuthenticateAsClientAsync("127.0.0.1"));
            Assert.IsType<System.Security.Authentication.AuthenticationException>(refused);
        }

        tcp.Close();

        await _server.WaitForOutputAsync($"TLS connection from 127.0.0.1:{peer.Port} on https://127.0.0.1:{_port} ended without a request");
    }

    [Fact]
    public async Task RequestLog_ShowsTheQueryString_WithSecretsRedacted()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler);

        using var response = await client.GetAsync($"https://127.0.0.1:{_port}/v2/app/tags/list?n=5&last=v1&access_token=hunter2");

        await _server.WaitForOutputAsync("GET /v2/app/tags/list?n=5&last=v1&access_token=*** 404");
        Assert.DoesNotContain("hunter2", _server.Output, StringComparison.Ordinal);
    }
}
