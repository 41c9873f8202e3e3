using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// A minimal HTTP/1.1 client on one keep-alive socket, for measuring the server's allocations: requests are formatted
/// into a reused buffer, bodies are sent from a <see cref="PatternStream"/> and responses drained into the same buffer,
/// so the client allocates nothing per byte moved (HttpClient allocates per read). One request at a time.
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly string _host;
    private readonly byte[] _buffer = new byte[BenchmarkBlobs.MiB];

    public RawHttpClient(Uri baseAddress)
    {
        _host = baseAddress.Authority;
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(baseAddress.Host, baseAddress.Port);
    }

    /// <summary>
    /// Sends a request with a pattern body of <paramref name="bodyLength"/> bytes starting at <paramref name="bodyStart"/>,
    /// with a <c>Range</c> (<paramref name="range"/>) or <c>Content-Range</c> (<paramref name="contentRange"/>) of
    /// (start, length) when given; returns the status, the <c>Location</c> when asked, and the body length drained.
    /// </summary>
    public async Task<(int Status, string? Location, long BodyLength)> SendAsync(
        string method, string target, long bodyStart = 0, long bodyLength = 0, (long Start, long Length)? range = null,
        (long Start, long Length)? contentRange = null, bool readLocation = false)
    {
        var written = FormatHead(method, target, bodyLength, range, contentRange);
        await SendAllAsync(_buffer.AsMemory(0, written));
        if (bodyLength > 0)
        {
            using var body = new PatternStream(bodyStart, bodyLength);
            int read;
            while ((read = body.Read(_buffer)) > 0)
            {
                await SendAllAsync(_buffer.AsMemory(0, read));
            }
        }

        return await ReadResponseAsync(readLocation);
    }

    public void Dispose() => _socket.Dispose();

    private int FormatHead(string method, string target, long bodyLength, (long Start, long Length)? range, (long Start, long Length)? contentRange)
    {
        var span = _buffer.AsSpan();
        var ok = range is { } r
            ? Utf8.TryWrite(span, $"{method} {target} HTTP/1.1\r\nHost: {_host}\r\nRange: bytes={r.Start}-{r.Start + r.Length - 1}\r\nContent-Length: {bodyLength}\r\n\r\n", out var written)
            : contentRange is { } c
                ? Utf8.TryWrite(span, $"{method} {target} HTTP/1.1\r\nHost: {_host}\r\nContent-Range: {c.Start}-{c.Start + c.Length - 1}\r\nContent-Type: application/octet-stream\r\nContent-Length: {bodyLength}\r\n\r\n", out written)
                : Utf8.TryWrite(span, $"{method} {target} HTTP/1.1\r\nHost: {_host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {bodyLength}\r\n\r\n", out written);
        return ok ? written : throw new InvalidOperationException("The request head does not fit the buffer.");
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[await _socket.SendAsync(data, SocketFlags.None)..];
        }
    }

    private async Task<(int Status, string? Location, long BodyLength)> ReadResponseAsync(bool readLocation)
    {
        int filled = 0, headEnd;
        while ((headEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += await ReceiveAsync(_buffer.AsMemory(filled));
        }

        var (status, location, contentLength) = ParseHead(readLocation, headEnd);
        var remaining = contentLength - (filled - headEnd - 4);
        while (remaining > 0)
        {
            remaining -= await ReceiveAsync(_buffer);
        }

        return (status, location, contentLength);
    }

    private (int Status, string? Location, long ContentLength) ParseHead(bool readLocation, int headEnd)
    {
        var head = _buffer.AsSpan(0, headEnd + 2);
        if (!Utf8Parser.TryParse(head[9..12], out int status, out _))
        {
            throw new InvalidOperationException("Malformed status line.");
        }

        Utf8Parser.TryParse(HeaderValue(head, "\r\nContent-Length: "u8), out long contentLength, out _);
        var location = readLocation ? Encoding.ASCII.GetString(HeaderValue(head, "\r\nLocation: "u8)) : null;
        return (status, location, contentLength);
    }

    private static ReadOnlySpan<byte> HeaderValue(ReadOnlySpan<byte> head, ReadOnlySpan<byte> marker)
    {
        var at = head.IndexOf(marker);
        if (at < 0)
        {
            return default;
        }

        var value = head[(at + marker.Length)..];
        return value[..value.IndexOf("\r\n"u8)];
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        var received = await _socket.ReceiveAsync(buffer, SocketFlags.None);
        return received > 0 ? received : throw new IOException("The server closed the connection.");
    }
}
