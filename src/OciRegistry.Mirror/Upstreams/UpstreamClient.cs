using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Upstreams;

/// <summary>
/// The distribution API of one upstream registry, as a client: manifests (HEAD, GET with every manifest type accepted
/// so nothing is converted), blobs (HEAD, streamed GET), referrers. Authentication and TLS as configured.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue[] ManifestTypes =
    [
        new(ManifestMediaTypes.OciIndex), new(ManifestMediaTypes.OciManifest),
        new(ManifestMediaTypes.DockerManifestList), new(ManifestMediaTypes.DockerManifest),
    ];

    private readonly HttpClient _http;
    private readonly MirrorMetrics? _metrics;

    /// <summary>Creates a client for <paramref name="options"/>; <paramref name="metrics"/> records latency and bytes.</summary>
    public UpstreamClient(UpstreamOptions options, MirrorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _metrics = metrics;
        var sockets = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = CertificateValidation(options) },
        };
        _http = new HttpClient(new UpstreamAuthenticationHandler(options) { InnerHandler = sockets })
        {
            BaseAddress = options.Url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The upstream this client talks to.</summary>
    public UpstreamOptions Options { get; }

    /// <summary>HEADs a manifest: its digest (from <c>Docker-Content-Digest</c>) or null when the upstream has none; the status either way.</summary>
    public async Task<(HttpStatusCode Status, Digest? Digest)> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{repository}/manifests/{reference}", ManifestTypes, "manifest.head", cancellationToken).ConfigureAwait(false);
        var digest = response.IsSuccessStatusCode
            && response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && Digest.TryParse(values.First().AsSpan(), out var parsed) == DigestParseStatus.Valid
                ? parsed
                : (Digest?)null;
        return (response.StatusCode, digest);
    }

    /// <summary>GETs a manifest's bytes as the upstream stores them, with their media type; null bytes with the status when it fails.</summary>
    public async Task<(HttpStatusCode Status, byte[]? Bytes, string? MediaType)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{reference}", ManifestTypes, "manifest.get", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null, null);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        _metrics?.UpstreamBytes(Options.Name, bytes.Length);
        return (response.StatusCode, bytes, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The blob's size from a HEAD (nothing downloaded); null when the upstream does not have it.</summary>
    public async Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", [], "blob.head", cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? response.Content.Headers.ContentLength : null;
    }

    /// <summary>Starts a blob download: the response once its headers arrived (the caller reads and disposes it), following redirects.</summary>
    public Task<HttpResponseMessage> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", [], "blob.get", cancellationToken);

    /// <summary>
    /// Starts a download of the blob's bytes from <paramref name="offset"/> to its end (a <c>Range</c> request): the
    /// response once its headers arrived, 206 when the upstream honoured the range. The caller reads and disposes it.
    /// </summary>
    public Task<HttpResponseMessage> GetBlobRangeAsync(string repository, Digest digest, long offset, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", [], "blob.get_range", cancellationToken, new RangeHeaderValue(offset, null));

    /// <summary>The referrers index of <paramref name="digest"/>; null when the upstream has no referrers API or none.</summary>
    public async Task<byte[]?> GetReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/referrers/{digest}", [new(ManifestMediaTypes.OciIndex)], "referrers.get", cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>The repository's tags (first page of up to 10,000); empty when the upstream has none.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/tags/list?n=10000", [], "tags.list", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await System.Text.Json.JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == System.Text.Json.JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList()
            : [];
    }

    /// <summary>Records bytes read from an upstream blob response (the caller streams it).</summary>
    internal void CountBlobBytes(long bytes) => _metrics?.UpstreamBytes(Options.Name, bytes);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, MediaTypeWithQualityHeaderValue[] accept, string operation, CancellationToken cancellationToken, RangeHeaderValue? range = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Range = range;
        foreach (var type in accept)
        {
            request.Headers.Accept.Add(type);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics?.UpstreamRequest(Options.Name, operation, Stopwatch.GetElapsedTime(started));
        }
    }

    private static RemoteCertificateValidationCallback? CertificateValidation(UpstreamOptions options)
    {
        if (options.InsecureSkipTlsVerify)
        {
            return static (_, _, _, _) => true;
        }

        if (options.CaCertificatePath is not { Length: > 0 } caPath)
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }
}
