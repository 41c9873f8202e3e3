using System.Net.Sockets;
using System.Text;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>
/// Sends a request line byte for byte over a socket, for paths that <see cref="HttpClient"/> would normalise
/// (<c>a/../b</c>). Returns the status code of the answer.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Response)> SendAsync(Uri baseAddress, string method, string target, byte[]? body = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Length: {body?.Length ?? 0}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
