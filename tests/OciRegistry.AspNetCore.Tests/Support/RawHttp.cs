using System.Net.Sockets;
using System.Text;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>
/// Sends requests byte for byte over a socket, for what <see cref="HttpClient"/> would normalise or never send: paths
/// like <c>a/../b</c>, broken chunked framing, a body cut off mid-way.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends a request with a Content-Length body and returns the status code and the whole answer.</summary>
    public static Task<(int Status, string Response)> SendAsync(Uri baseAddress, string method, string target, byte[]? body = null) =>
        SendRawAsync(
            baseAddress,
            $"{method} {target} HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: {body?.Length ?? 0}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
            body ?? []);

    /// <summary>
    /// Sends <paramref name="head"/> (<c>{host}</c> is replaced by the registry's) and <paramref name="body"/>, then
    /// reads the answer until the server closes the connection.
    /// </summary>
    public static async Task<(int Status, string Response)> SendRawAsync(Uri baseAddress, string head, byte[] body)
    {
        using var tcp = await ConnectAndSendAsync(baseAddress, head, body);
        return await ReadAnswerAsync(tcp);
    }

    /// <summary>
    /// Sends <paramref name="head"/> with <c>Expect: 100-continue</c>, waits for the server's <c>100 Continue</c> (sent
    /// when the registry starts reading the body, so its upload session exists by then), sends part of a body and
    /// closes the connection without reading an answer.
    /// </summary>
    public static async Task SendAndHangUpAsync(Uri baseAddress, string head, byte[] partialBody)
    {
        using var tcp = await SendHeadAsync(baseAddress, head);
        var stream = tcp.GetStream();
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
    }

    /// <summary>
    /// Sends <paramref name="head"/> with <c>Expect: 100-continue</c> and returns once the server answered
    /// <c>100 Continue</c>, which it does when the registry starts reading the body: the request is then inside its
    /// handler, holding whatever it took before reading. The caller sends the body and reads the answer.
    /// </summary>
    public static async Task<TcpClient> SendHeadAsync(Uri baseAddress, string head)
    {
        var tcp = await ConnectAndSendAsync(baseAddress, head.Replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n", StringComparison.Ordinal), []);
        var stream = tcp.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[1];
        while (!received.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.True(read > 0, "the server closed the connection before 100 Continue: " + received);
            received.Append((char)buffer[0]);
        }

        Assert.StartsWith("HTTP/1.1 100", received.ToString(), StringComparison.Ordinal);
        return tcp;
    }

    /// <summary>Reads the answer on <paramref name="tcp"/> until the server closes the connection.</summary>
    public static async Task<(int Status, string Response)> ReadAnswerAsync(TcpClient tcp)
    {
        using var reader = new StreamReader(tcp.GetStream(), Encoding.UTF8, leaveOpen: true);
        var response = await reader.ReadToEndAsync();
        return (int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }

    private static async Task<TcpClient> ConnectAndSendAsync(Uri baseAddress, string head, byte[] body)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("{host}", baseAddress.Authority, StringComparison.Ordinal)));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        return tcp;
    }
}
