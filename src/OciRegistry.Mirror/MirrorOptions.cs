using OciRegistry.Mirror.Eviction;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror;

/// <summary>The pull-through mirror: its upstreams and how long what it cached is trusted.</summary>
public sealed class MirrorOptions
{
    /// <summary>The default <see cref="TagCheckInterval"/>: five minutes.</summary>
    public static readonly TimeSpan DefaultTagCheckInterval = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="MaxStaleness"/>: seven days.</summary>
    public static readonly TimeSpan DefaultMaxStaleness = TimeSpan.FromDays(7);

    /// <summary>The registries mirrored, each under its own <see cref="UpstreamOptions.Name"/>.</summary>
    public IList<UpstreamOptions> Upstreams { get; } = [];

    /// <summary>How long a tag is served without asking the upstream again (one HEAD per tag per interval).</summary>
    public TimeSpan TagCheckInterval { get; set; } = DefaultTagCheckInterval;

    /// <summary>How long after its last successful check a tag is still served while the upstream is down or rate-limits.</summary>
    public TimeSpan MaxStaleness { get; set; } = DefaultMaxStaleness;

    /// <summary>When cached images are evicted (by last pull and a size budget); off by default.</summary>
    public EvictionOptions Eviction { get; } = new();

    /// <summary>Where blobs being fetched are spooled for the clients waiting on them (deleted once served); the system temp folder when unset.</summary>
    public string? SpoolPath { get; set; }

    /// <summary>The problems with these options, one message each naming the setting; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (upstream, i) in Upstreams.Select((u, i) => (u, i)))
        {
            if (!OciRegistry.Core.References.RepositoryName.IsValid(upstream.Name) || upstream.Name.Contains('/', StringComparison.Ordinal))
            {
                yield return $"OciRegistry:Mirror:Upstreams:{i}:Name '{upstream.Name}' must be one repository path component (e.g. 'dockerhub').";
            }
            else if (!names.Add(upstream.Name))
            {
                yield return $"OciRegistry:Mirror:Upstreams:{i}:Name '{upstream.Name}' is used twice.";
            }

            if (upstream.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"OciRegistry:Mirror:Upstreams:{i}:Url must be an absolute http(s) URL.";
            }

            foreach (var host in upstream.Namespaces.Where(h => !hosts.Add(h)))
            {
                yield return $"OciRegistry:Mirror:Upstreams:{i}:Namespaces names '{host}', which another upstream has already.";
            }
        }

        if (TagCheckInterval < TimeSpan.Zero)
        {
            yield return "OciRegistry:Mirror:TagCheckInterval must not be negative.";
        }

        if (MaxStaleness < TimeSpan.Zero)
        {
            yield return "OciRegistry:Mirror:MaxStaleness must not be negative.";
        }

        foreach (var problem in Eviction.Validate())
        {
            yield return problem;
        }
    }
}
