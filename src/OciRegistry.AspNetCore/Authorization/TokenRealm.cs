using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// The token endpoint URL sent in challenges when <see cref="TokenAuthenticationOptions.Realm"/> is not configured.
/// The Host header is the client's to choose (<c>Host: evil.example.com</c> would send clients' credentials there),
/// so it is used only from a peer the host trusts as its proxy (<see cref="ForwardedHeadersOptions"/>: the
/// <c>X-Forwarded-Host</c> flag and <c>KnownProxies</c>/<c>KnownIPNetworks</c>), with that proxy's
/// <c>X-Forwarded-Proto</c>/<c>X-Forwarded-Host</c> when it sends them. Anyone else gets the address the connection
/// reached, which the client cannot choose.
/// </summary>
internal sealed class TokenRealm(TokenAuthenticationOptions options, ForwardedHeadersOptions forwarding)
{
    public string Of(HttpContext context)
    {
        if (options.Realm is { } configured)
        {
            return configured;
        }

        var request = context.Request;
        string scheme, host;
        if (TrustsPeer(context))
        {
            scheme = LastValue(request.Headers[forwarding.ForwardedProtoHeaderName]) ?? request.Scheme;
            host = LastValue(request.Headers[forwarding.ForwardedHostHeaderName]) ?? request.Host.Value ?? "";
        }
        else
        {
            scheme = request.IsHttps ? "https" : "http";
            host = HostOf(context.Connection.LocalIpAddress, context.Connection.LocalPort);
        }

        return $"{scheme}://{host}{request.PathBase}/token";
    }

    // The real peer: a ForwardedHeaders middleware may have replaced Connection.RemoteIpAddress with a forwarded one,
    // but not the transport's end point.
    private bool TrustsPeer(HttpContext context)
    {
        if (!forwarding.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedHost))
        {
            return false;
        }

        var peer = (context.Features.Get<IConnectionEndPointFeature>()?.RemoteEndPoint as IPEndPoint)?.Address ?? context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return false;
        }

        peer = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        return forwarding.KnownProxies.Contains(peer) || forwarding.KnownIPNetworks.Any(network => network.Contains(peer));
    }

    // Each proxy appends its value; the last one is what the nearest, trusted, proxy saw.
    private static string? LastValue(Microsoft.Extensions.Primitives.StringValues header)
    {
        var last = header.Count == 0 ? null : header[^1]?.Split(',')[^1].Trim();
        return string.IsNullOrEmpty(last) ? null : last;
    }

    private static string HostOf(IPAddress? address, int port)
    {
        address = address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address ?? IPAddress.Loopback;
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
