using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OciRegistry.Server;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>
/// The standalone server caps its connections: idle ones up to the cap cannot stop requests on open connections, and
/// one more is closed at once instead of taking a file descriptor.
/// </summary>
public sealed class ConnectionLimitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-connections-").FullName;

    public void Dispose() => OciRegistry.Tests.TestFolders.Delete(_folder);

    [Fact]
    public async Task TheServer_LimitsConnectionsAndIdleTime_ByDefault()
    {
        await using var app = RegistryHost.Build(["--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder]);

        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(2048, limits.MaxConcurrentConnections);
        Assert.Equal(64, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.KeepAliveTimeout);
    }

    [Fact]
    public async Task AtTheLimit_ANewConnectionIsClosed_WhileOpenConnectionsStillServe()
    {
        await using var app = RegistryHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", _folder,
            "--OciRegistry:Server:Limits:MaxConcurrentConnections", "3",
        ]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        // Three connections, each made to serve one request so that the server has surely counted it, then left idle.
        using var first = await ConnectAsync(address);
        using var second = await ConnectAsync(address);
        using var third = await ConnectAsync(address);
        foreach (var open in new[] { first, second, third })
        {
            Assert.StartsWith("HTTP/1.1 200", await GetBaseAsync(open), StringComparison.Ordinal);
        }

        using var fourth = await ConnectAsync(address);
        Assert.True(await IsClosedByServerAsync(fourth), "a connection over the limit was served");
        Assert.StartsWith("HTTP/1.1 200", await GetBaseAsync(second), StringComparison.Ordinal);

        await app.StopAsync();
    }

    private static async Task<TcpClient> ConnectAsync(Uri address)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        return tcp;
    }

    // One keep-alive GET /v2/; returns the head once the whole (Content-Length) body is read.
    private static async Task<string> GetBaseAsync(TcpClient tcp)
    {
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /v2/ HTTP/1.1\r\nHost: registry\r\n\r\n"u8.ToArray());
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (true)
        {
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = text[..end];
                var length = int.Parse(head.Split("\r\n").Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (text.Length >= end + 4 + length)
                {
                    return head;
                }
            }

            var read = await stream.ReadAsync(buffer);
            Assert.True(read > 0, "the server closed a connection it should serve: " + text);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    private static async Task<bool> IsClosedByServerAsync(TcpClient tcp)
    {
        try
        {
            await tcp.GetStream().WriteAsync("GET /v2/ HTTP/1.1\r\nHost: registry\r\n\r\n"u8.ToArray());
            return await tcp.GetStream().ReadAsync(new byte[1024]) == 0;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }
}
