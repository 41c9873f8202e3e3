using System.Net;
using System.Net.Http.Headers;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Testing;

/// <summary>
/// Puts blobs, images and indexes into a registry over its HTTP API, the way a client pushes them — no external
/// tool needed. Works against any registry the client's base address points to; <see cref="InProcessRegistry.Seeder"/>
/// is one bound to an in-process registry. Every method throws <see cref="HttpRequestException"/> when the registry
/// refuses, with the status and the registry's error body in the message.
/// </summary>
public sealed class RegistrySeeder
{
    private readonly HttpClient _client;

    /// <summary>Seeds through <paramref name="client"/>, whose base address is the registry's root URL.</summary>
    public RegistrySeeder(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>
    /// Makes an image config (<c>application/vnd.oci.image.config.v1+json</c>) for <paramref name="os"/> and
    /// <paramref name="architecture"/>, with the layers' digests as <c>rootfs.diff_ids</c> (layers seeded uncompressed).
    /// Pass it to <see cref="PushImageAsync"/> to seed one platform of a multi-platform index.
    /// </summary>
    public static byte[] CreateConfig(string os, string architecture, IReadOnlyList<byte[]> layers)
    {
        ArgumentException.ThrowIfNullOrEmpty(os);
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(layers);
        return SeedDocuments.Config(os, architecture, layers);
    }

    /// <summary>Uploads <paramref name="content"/> as a blob of <paramref name="repository"/> in one request and returns its digest.</summary>
    public async Task<Digest> PushBlobAsync(string repository, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(content);
        var digest = DigestHasher.Compute(content);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _client.PostAsync(new Uri($"v2/{repository}/blobs/uploads/?digest={digest}", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.Created, $"push blob {digest} to {repository}", cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>
    /// Pushes an OCI image: each layer and the config as blobs, then the manifest, tagged <paramref name="tag"/>
    /// (or by digest only when <paramref name="tag"/> is null). Without a <paramref name="config"/>, a linux/amd64
    /// config is made. Layers are seeded as uncompressed tar (<c>application/vnd.oci.image.layer.v1.tar</c>).
    /// </summary>
    public async Task<SeededImage> PushImageAsync(string repository, string? tag, IReadOnlyList<byte[]> layers, byte[]? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(layers);
        config ??= SeedDocuments.Config("linux", "amd64", layers);

        var layerDigests = new Digest[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            layerDigests[i] = await PushBlobAsync(repository, layers[i], cancellationToken).ConfigureAwait(false);
        }

        var configDigest = await PushBlobAsync(repository, config, cancellationToken).ConfigureAwait(false);
        var manifest = SeedDocuments.ImageManifest(configDigest, config.Length, layerDigests, layers);
        var manifestDigest = await PushManifestAsync(repository, tag, manifest, ManifestMediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        var (os, architecture) = SeedDocuments.ReadPlatform(config);
        return new SeededImage(repository, manifestDigest, manifest.Length, configDigest, layerDigests, os, architecture);
    }

    /// <summary>
    /// Pushes an OCI image index over <paramref name="images"/> (already pushed to <paramref name="repository"/>),
    /// each entry carrying the platform read from its config, tagged <paramref name="tag"/>; returns the index digest.
    /// </summary>
    public Task<Digest> PushIndexAsync(string repository, string? tag, IReadOnlyList<SeededImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(images);
        return PushManifestAsync(repository, tag, SeedDocuments.Index(images), ManifestMediaTypes.OciIndex, cancellationToken);
    }

    /// <summary>
    /// Pushes manifest bytes as they are, under <paramref name="tag"/> or (when null) under their digest, and
    /// returns the digest after checking the registry answered the same one.
    /// </summary>
    public async Task<Digest> PushManifestAsync(string repository, string? tag, byte[] manifest, string mediaType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var digest = DigestHasher.Compute(manifest);
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var reference = tag ?? digest.ToString();
        using var response = await _client.PutAsync(new Uri($"v2/{repository}/manifests/{reference}", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.Created, $"push manifest {reference} to {repository}", cancellationToken).ConfigureAwait(false);
        var answered = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (answered != digest.ToString())
        {
            throw new HttpRequestException($"The registry answered digest '{answered}' for manifest {digest} pushed to {repository}.");
        }

        return digest;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"Could not {what}: {(int)response.StatusCode} {response.StatusCode}. {error}", null, response.StatusCode);
        }
    }
}
