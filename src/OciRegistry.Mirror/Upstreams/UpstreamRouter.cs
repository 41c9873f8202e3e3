using Microsoft.Extensions.Options;

namespace OciRegistry.Mirror.Upstreams;

/// <summary>
/// Maps local repositories to upstreams: <c>&lt;name&gt;/&lt;repository&gt;</c> is <c>&lt;repository&gt;</c> at the upstream
/// called <c>&lt;name&gt;</c>; containerd's <c>ns=</c> host maps to the upstream that lists it. One client per upstream.
/// </summary>
public sealed class UpstreamRouter : IDisposable
{
    private readonly Dictionary<string, UpstreamClient> _byName;
    private readonly Dictionary<string, string> _prefixByHost;

    /// <summary>Creates one client per configured upstream.</summary>
    public UpstreamRouter(IOptions<MirrorOptions> options, MirrorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _byName = options.Value.Upstreams.ToDictionary(u => u.Name, u => new UpstreamClient(u, metrics), StringComparer.Ordinal);
        _prefixByHost = options.Value.Upstreams
            .SelectMany(u => u.Namespaces.Select(host => (host, u.Name)))
            .ToDictionary(p => p.host, p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The upstream serving <paramref name="repository"/> and the repository's name there; null when none does.</summary>
    public (UpstreamClient Client, string RemoteRepository)? Route(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < repository.Length - 1 && _byName.TryGetValue(repository[..slash], out var client)
            ? (client, repository[(slash + 1)..])
            : null;
    }

    /// <summary>The upstream called <paramref name="name"/>, or null.</summary>
    public UpstreamClient? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The local prefix of the upstream configured for containerd namespace <paramref name="host"/>, or null.</summary>
    public string? PrefixForNamespace(string host) => _prefixByHost.GetValueOrDefault(host);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _byName.Values)
        {
            client.Dispose();
        }
    }
}
