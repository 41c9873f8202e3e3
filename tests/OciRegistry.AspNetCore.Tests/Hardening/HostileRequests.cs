using System.Net.Sockets;
using System.Text;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>Requests that HttpClient would normally tidy up: raw paths, lying headers, bytes on a socket.</summary>
internal static class HostileRequests
{
    /// <summary>Sends <paramref name="rawPath"/> exactly as written: no dot-segment removal, no unescaping.</summary>
    public static async Task<HttpResponseMessage> SendRawPathAsync(InProcessRegistry registry, HttpMethod method, string rawPath, HttpContent? content = null)
    {
        var uri = new Uri(registry.BaseAddress.GetLeftPart(UriPartial.Authority) + rawPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        return await registry.Client.SendAsync(request);
    }

    /// <summary>Writes <paramref name="head"/> and <paramref name="body"/> to a fresh connection and returns whatever the server answers before closing.</summary>
    public static async Task<string> SendOnSocketAsync(InProcessRegistry registry, string head, byte[] body, bool closeAfterSending)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(registry.BaseAddress.Host, registry.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        if (closeAfterSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (!closeAfterSending && Encoding.ASCII.GetString(answer.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The server may reset the connection after refusing the request.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
