using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OciRegistry.Server.Listening;

/// <summary>
/// Kestrel limits for a registry exposed to the network, bound from <c>OciRegistry:Server:Limits</c>. Bodies may be
/// as large as blobs (<c>OciRegistry:MaxBlobBytes</c> limits those), but headers stay small and a client that
/// trickles a body slower than <see cref="MinRequestBodyBytesPerSecond"/> is cut off instead of holding a connection.
/// Connections are capped: ~20,000 idle ones (no request, no credentials) used to take every file descriptor, so
/// pushes and pulls on open connections failed; now one more than <see cref="MaxConcurrentConnections"/> is closed
/// at once, and idle ones are closed after <see cref="KeepAliveTimeout"/>.
/// </summary>
internal sealed class ServerLimits
{
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 100;

    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    public long? MaxConcurrentConnections { get; set; } = 2048;

    // The registry upgrades no connection (no WebSockets); a few for whatever else the host serves.
    public long? MaxConcurrentUpgradedConnections { get; set; } = 64;

    public static void Apply(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var limits = new ServerLimits();
        configuration.GetSection("OciRegistry:Server:Limits").Bind(limits);
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineSize;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);
        kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
    }
}
