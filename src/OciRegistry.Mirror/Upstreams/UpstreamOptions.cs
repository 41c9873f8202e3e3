namespace OciRegistry.Mirror.Upstreams;

/// <summary>One registry the mirror pulls from, and how requests reach it.</summary>
public sealed class UpstreamOptions
{
    /// <summary>
    /// The local path prefix of its repositories (<c>dockerhub</c>: <c>/v2/dockerhub/library/nginx/...</c> pulls
    /// <c>library/nginx</c> from this upstream). Cached images live under it as ordinary repositories.
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>The upstream's base URL, e.g. <c>https://registry-1.docker.io</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// The hosts containerd names in <c>?ns=</c> for this upstream (e.g. <c>docker.io</c>). A request naming a host not
    /// listed by any upstream is served as a local one: the mirror never contacts a host taken from a request.
    /// </summary>
    public IList<string> Namespaces { get; } = [];

    /// <summary>User name for basic authentication or for the token service; anonymous when unset.</summary>
    public string? Username { get; set; }

    /// <summary>Password (or access token) that goes with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A fixed bearer token sent with every request, instead of the token flow.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Accept any TLS certificate from the upstream (test setups only).</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>A PEM file of the certificate authority the upstream's certificate must chain to, besides the system's.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Let clients push into this upstream's repositories (off: a mirrored namespace only takes what the upstream has).</summary>
    public bool AllowPushes { get; set; }
}
