using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Manifests;

/// <summary>
/// Stores a manifest fetched from an upstream byte for byte, through the store contracts, as a push would — except that
/// the blobs and child manifests it names need not be there yet: each is fetched when a client first asks for it.
/// </summary>
internal sealed class ManifestStore(IBlobStore blobs, IMetadataStore metadata)
{
    /// <summary>Parses and stores <paramref name="bytes"/>; false when they do not parse or are not <paramref name="expected"/>.</summary>
    public async ValueTask<bool> PutAsync(RepositoryName repository, byte[] bytes, string? mediaType, Digest? expected, string? tag, CancellationToken cancellationToken)
    {
        var parsed = ManifestParser.Parse(bytes, mediaType);
        if (!parsed.IsSuccess)
        {
            return false;
        }

        var manifest = parsed.Value;
        var digest = expected is { } wanted && wanted.Algorithm != DigestAlgorithm.Sha256 ? DigestHasher.Compute(bytes, wanted.Algorithm) : manifest.Digest;
        if (expected is { } check && check != digest)
        {
            return false;
        }

        var record = new ManifestRecord(digest, manifest.MediaType, bytes.Length, manifest.Subject?.Digest, manifest.EffectiveArtifactType, manifest.Annotations);
        await blobs.PutAsync(digest, bytes, cancellationToken).ConfigureAwait(false);

        // No references to check: a mirror stores a manifest before the blobs it names, each fetched on first request.
        await metadata.PutManifestAsync(repository, record, ManifestReferences.None, tag, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Points <paramref name="tag"/> at a manifest the repository has already; false when it has not.</summary>
    public async ValueTask<bool> RetagAsync(RepositoryName repository, Digest digest, string tag, CancellationToken cancellationToken)
    {
        if (await metadata.GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return false;
        }

        await metadata.PutManifestAsync(repository, record, ManifestReferences.None, tag, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }
}
