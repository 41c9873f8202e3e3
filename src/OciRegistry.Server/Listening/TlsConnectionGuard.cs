using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OciRegistry.Server.Listening;

/// <summary>
/// Runs on every connection of an HTTPS endpoint before TLS. A plain-HTTP request (a node configured for
/// <c>http://</c>) gets <c>400</c> with a message saying so, as the Go reference registry answers, instead of a
/// closed connection ("EOF" in containerd); a TLS handshake that fails (a node without the CA) is logged at
/// information with the peer's address, since Kestrel reports it only at debug level.
/// </summary>
internal sealed partial class TlsConnectionGuard(ListenOptions endpoint, ILogger logger)
{
    // Go's net/http answers exactly this to an HTTP request on a TLS port.
    private static readonly byte[] PlainHttpResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
        "Client sent an HTTP request to an HTTPS server.\n");

    private const byte TlsHandshakeRecord = 0x16;

    // Kestrel keeps no trace of a handshake's outcome once the connection is closed, so the HTTP side notes that a
    // request came through (NoteRequest); a TLS connection that ends without one had its handshake fail.
    private static readonly object RequestSeen = new();

    /// <summary>HTTP middleware: notes on the connection that a request came through (after a completed handshake).</summary>
    public static Task NoteRequest(HttpContext context, RequestDelegate next)
    {
        if (context.Request.IsHttps && context.Features.Get<IConnectionItemsFeature>() is { } connection)
        {
            connection.Items[RequestSeen] = RequestSeen;
        }

        return next(context);
    }

    /// <summary>Adds the guard to every endpoint; it acts only on those that turn out to be HTTPS.</summary>
    public static void AddTo(KestrelServerOptions kestrel) => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next =>
    {
        var guard = new TlsConnectionGuard(endpoint, endpoint.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<TlsConnectionGuard>());
        return connection => guard.OnConnectionAsync(connection, next);
    }));

    // HTTPS is applied to the endpoint after the defaults, so its scheme is known only once connections arrive.
    private bool IsTls => Name.StartsWith("https:", StringComparison.OrdinalIgnoreCase);

    private string Name => endpoint.ToString() ?? "";

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (!IsTls)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var first = await PeekFirstByteAsync(connection).ConfigureAwait(false);
        if (first is null)
        {
            return; // closed without a byte: a TCP probe
        }

        if (first != TlsHandshakeRecord && char.IsAsciiLetterUpper((char)first.Value))
        {
            Log.PlainHttpOnTlsPort(logger, connection.RemoteEndPoint?.ToString() ?? "unknown", Name);
            await connection.Transport.Output.WriteAsync(PlainHttpResponse, connection.ConnectionClosed).ConfigureAwait(false);
            return;
        }

        await next(connection).ConfigureAwait(false);
        if (!connection.Items.ContainsKey(RequestSeen))
        {
            Log.HandshakeFailed(logger, connection.RemoteEndPoint?.ToString() ?? "unknown", Name);
        }
    }

    // Looks at the first byte without consuming it, so TLS (or HTTP) still reads the connection from its start.
    private static async Task<byte?> PeekFirstByteAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        try
        {
            var read = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
            byte? first = read.Buffer.IsEmpty ? null : read.Buffer.FirstSpan[0];
            input.AdvanceTo(read.Buffer.Start);
            return first;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Plain HTTP request from {Peer} on the HTTPS endpoint {Endpoint}: answered 400 (configure the client for https://, or add an http:// endpoint)")]
        public static partial void PlainHttpOnTlsPort(ILogger logger, string peer, string endpoint);

        [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "TLS connection from {Peer} on {Endpoint} ended without a request: the handshake failed (does the client trust the registry's certificate authority?)")]
        public static partial void HandshakeFailed(ILogger logger, string peer, string endpoint);
    }
}
