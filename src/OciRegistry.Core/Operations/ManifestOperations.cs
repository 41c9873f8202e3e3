using OciRegistry.Core.Observability;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Core.Operations;

/// <summary>Pushing, pulling and deleting manifests by tag or digest, and the referrers of a manifest.</summary>
public sealed class ManifestOperations
{
    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IOptions<RegistryOptions> _options;
    private readonly ManifestCache _cache;
    private readonly TagPatterns _immutableTags;
    private readonly IUpstreamSource? _upstream;
    private readonly TimeProvider _time;

    /// <summary>
    /// Creates the operations over the given stores; misses in repositories <paramref name="upstream"/> covers are
    /// fetched there. <paramref name="time"/> paces the waits while a collector deletes a referenced blob.
    /// </summary>
    public ManifestOperations(IBlobStore blobs, IMetadataStore metadata, IOptions<RegistryOptions> options, IUpstreamSource? upstream = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _blobs = blobs;
        _metadata = metadata;
        _options = options;
        _upstream = upstream;
        _cache = new ManifestCache(options.Value.ManifestCacheBytes);
        _immutableTags = new TagPatterns(options.Value.ImmutableTagPatterns);
    }

    /// <summary>
    /// Stores <paramref name="body"/> byte for byte under <paramref name="reference"/> (a tag, or the digest of the
    /// body). Refuses a body that does not parse or whose media type disagrees (MANIFEST_INVALID), a digest reference
    /// that does not match (DIGEST_INVALID), and config, layers or child manifests missing from the repository
    /// (MANIFEST_BLOB_UNKNOWN). The subject need not exist, nor non-distributable layers
    /// (<see cref="Descriptor.IsNonDistributable"/>).
    /// </summary>
    public async ValueTask<RegistryResult<PushedManifest>> PutAsync(string repository, string reference, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.ManifestPut, repository, reference);
        return RegistryActivitySource.Finish(activity, await PutCoreAsync(repository, reference, contentType, body, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<PushedManifest>> PutCoreAsync(string repository, string reference, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (ParseReference(reference, forPush: true) is var (parsedReference, referenceError) && referenceError is not null)
        {
            return referenceError;
        }

        var parsed = ManifestParser.Parse(body, contentType, _options.Value.MaxManifestBytes);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var manifest = parsed.Value;
        if (parsedReference.IsDigest)
        {
            var actual = parsedReference.Digest.Algorithm == DigestAlgorithm.Sha256
                ? manifest.Digest
                : DigestHasher.Compute(body.Span, parsedReference.Digest.Algorithm);
            if (actual != parsedReference.Digest)
            {
                return RegistryError.DigestInvalid($"the manifest's content is {actual}, not {parsedReference.Digest}");
            }
        }

        if (await CheckBlobBytesAsync(name, manifest, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var digest = parsedReference.IsDigest ? parsedReference.Digest : manifest.Digest;
        var record = new ManifestRecord(digest, manifest.MediaType, body.Length, manifest.Subject?.Digest, manifest.EffectiveArtifactType, manifest.Annotations)
        {
            ReferencedSize = await ManifestSummary.ReferencedSizeAsync(_metadata, name, manifest, cancellationToken).ConfigureAwait(false),
            Platforms = ManifestSummary.Platforms(manifest),
        };
        await _blobs.PutAsync(digest, body, cancellationToken).ConfigureAwait(false);
        var tag = parsedReference.TagName;
        var references = ReferencesOf(manifest);
        var stored = await DeletionWait.RetryAsync(
            () => _metadata.PutManifestAsync(name, record, references, tag, tag is not null && _immutableTags.Matches(tag), cancellationToken),
            put => put.Status == ManifestPutStatus.BlobDeleting,
            _time,
            cancellationToken).ConfigureAwait(false);
        switch (stored.Status)
        {
            case ManifestPutStatus.MissingReference:
                // Not linked to the repository (never pushed here, or a collection unlinked it): the put checks every
                // reference in its own transaction. The manifest's bytes stay unlinked, for a collection to remove.
                return RegistryError.ManifestBlobUnknown(stored.Missing);
            case ManifestPutStatus.TagImmutable:
                return RegistryError.Denied($"tag '{tag}' is immutable");
            case ManifestPutStatus.BlobDeleting:
                return RegistryError.ManifestInvalid("the registry is deleting an old copy of this manifest's bytes; push it again");
        }

        // The manifest's own bytes may have been stored long ago, unlinked, and collected between the put above and
        // its link (the link waited for the deletion to end): now that it is linked no collection removes it, so write
        // it back if it went.
        if (await _blobs.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false) is null)
        {
            await _blobs.PutAsync(digest, body, cancellationToken).ConfigureAwait(false);
        }

        _cache.Add(digest, body.ToArray());
        return new PushedManifest(digest, record.Subject);
    }

    /// <summary>What is known of the manifest <paramref name="reference"/> names, without its bytes (for HEAD).</summary>
    public async ValueTask<RegistryResult<ManifestRecord>> ResolveAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (ParseReference(reference, forPush: false) is var (parsedReference, referenceError) && referenceError is not null)
        {
            return referenceError;
        }

        var upstream = _upstream is not null && _upstream.Covers(repository) ? _upstream : null;
        if (upstream is not null && !parsedReference.IsDigest
            && await upstream.RefreshTagAsync(name, parsedReference.TagName!, cancellationToken).ConfigureAwait(false) is { } refreshError)
        {
            return refreshError;
        }

        var record = parsedReference.IsDigest
            ? await _metadata.GetManifestAsync(name, parsedReference.Digest, cancellationToken).ConfigureAwait(false)
            : await _metadata.GetTaggedManifestAsync(name, parsedReference.TagName!, cancellationToken).ConfigureAwait(false);
        if (record is null && upstream is not null
            && (parsedReference.IsDigest ? parsedReference.Digest : await _metadata.ResolveTagAsync(name, parsedReference.TagName!, cancellationToken).ConfigureAwait(false)) is { } missing
            && await upstream.FetchManifestAsync(name, missing, cancellationToken).ConfigureAwait(false))
        {
            record = await _metadata.GetManifestAsync(name, missing, cancellationToken).ConfigureAwait(false);
        }

        if (record is not null)
        {
            if (upstream is not null)
            {
                await upstream.RecordPullAsync(name, record.Digest, cancellationToken).ConfigureAwait(false);
            }

            return record;
        }

        return await _metadata.RepositoryExistsAsync(name, cancellationToken).ConfigureAwait(false)
            ? RegistryError.ManifestUnknown(reference)
            : RegistryError.NameUnknown(repository);
    }

    /// <summary>The manifest <paramref name="reference"/> names, with its bytes exactly as pushed.</summary>
    public async ValueTask<RegistryResult<ManifestContent>> GetAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.ManifestGet, repository, reference);
        return RegistryActivitySource.Finish(activity, await GetCoreAsync(repository, reference, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<ManifestContent>> GetCoreAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }

        var record = resolved.Value;
        if (_cache.TryGet(record.Digest, out var cached))
        {
            return new ManifestContent(record, cached);
        }

        var bytes = await ReadBlobAsync(record.Digest, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return RegistryError.ManifestUnknown(reference);
        }

        _cache.Add(record.Digest, bytes);
        return new ManifestContent(record, bytes);
    }

    /// <summary>
    /// Deletes by digest (the manifest and every tag pointing at it) or by tag (only the tag).
    /// UNSUPPORTED when deletes are off; MANIFEST_UNKNOWN when there is nothing to delete.
    /// </summary>
    public async ValueTask<RegistryResult<bool>> DeleteAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.ManifestDelete, repository, reference);
        return RegistryActivitySource.Finish(activity, await DeleteCoreAsync(repository, reference, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<bool>> DeleteCoreAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        if (!_options.Value.DeletesEnabled)
        {
            return RegistryError.Unsupported("deletes are disabled on this registry");
        }

        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (ParseReference(reference, forPush: false) is var (parsedReference, referenceError) && referenceError is not null)
        {
            return referenceError;
        }

        if (await RefuseDeletingImmutableTagAsync(name, parsedReference, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var deleted = parsedReference.IsDigest
            ? await _metadata.DeleteManifestAsync(name, parsedReference.Digest, cancellationToken).ConfigureAwait(false)
            : await _metadata.DeleteTagAsync(name, parsedReference.TagName!, cancellationToken).ConfigureAwait(false);
        return deleted ? true : RegistryError.ManifestUnknown(reference);
    }

    /// <summary>
    /// The descriptors of the manifests in <paramref name="repository"/> whose subject is <paramref name="digest"/>,
    /// optionally only those of <paramref name="artifactType"/>. Empty, not an error, when there are none.
    /// </summary>
    public async ValueTask<RegistryResult<IReadOnlyList<Descriptor>>> ReferrersAsync(string repository, string digest, string? artifactType, CancellationToken cancellationToken = default)
    {
        if (Check.NameAndDigest(repository, digest, out var name, out var subject) is { } error)
        {
            return error;
        }

        if (_upstream is not null && _upstream.Covers(repository))
        {
            await _upstream.RefreshReferrersAsync(name, subject, cancellationToken).ConfigureAwait(false);
        }

        var records = await _metadata.ListReferrersAsync(name, subject, cancellationToken).ConfigureAwait(false);
        var descriptors = records
            .Where(r => artifactType is null || r.ArtifactType == artifactType)
            .Select(r => new Descriptor
            {
                MediaType = r.MediaType,
                Digest = r.Digest,
                Size = r.Size,
                ArtifactType = r.ArtifactType,
                Annotations = r.Annotations,
            })
            .ToList();
        return descriptors;
    }

    private static (ManifestReference Reference, RegistryError? Error) ParseReference(string reference, bool forPush) =>
        ManifestReference.TryParse(reference, out var parsed) switch
        {
            DigestParseStatus.Valid => (parsed, null),
            _ when reference.Contains(':') => (default, Check.Digest(reference, out _)),
            _ when forPush => (default, RegistryError.ManifestInvalid($"'{reference}' is not a valid tag")),
            _ => (default, RegistryError.ManifestUnknown(reference)),
        };

    private static ManifestReferences ReferencesOf(Manifest manifest) => new(
        [.. manifest.References.Where(r => r.Kind is ReferenceKind.Config || (r.Kind is ReferenceKind.Layer && !r.Descriptor.IsNonDistributable)).Select(r => r.Descriptor.Digest).Distinct()],
        [.. manifest.References.Where(r => r.Kind == ReferenceKind.Manifest).Select(r => r.Descriptor.Digest).Distinct()]);

    private async ValueTask<RegistryError?> RefuseDeletingImmutableTagAsync(RepositoryName name, ManifestReference reference, CancellationToken cancellationToken)
    {
        if (_immutableTags.IsEmpty)
        {
            return null;
        }

        if (!reference.IsDigest)
        {
            return _immutableTags.Matches(reference.TagName!) ? RegistryError.Denied($"tag '{reference.TagName}' is immutable") : null;
        }

        var tags = await _metadata.GetTagsAsync(name, cancellationToken).ConfigureAwait(false);
        var pinned = tags.FirstOrDefault(t => t.Digest == reference.Digest && _immutableTags.Matches(t.Name)).Name;
        return pinned is null ? null : RegistryError.Denied($"tag '{pinned}' is immutable and points at {reference.Digest}");
    }

    // The config's and layers' bytes, checked against the manifest's sizes before its own bytes are stored; their
    // links, and the child manifests, are checked by the put, in its transaction (on a database, in its one round
    // trip), which names the first missing one as this did. Only when some bytes are absent or of another size is
    // everything checked here in the manifest's order, so that a blob not linked here is reported unknown, never with
    // the size of another repository's copy.
    private async ValueTask<RegistryError?> CheckBlobBytesAsync(RepositoryName name, Manifest manifest, CancellationToken cancellationToken)
    {
        foreach (var (descriptor, kind) in manifest.References)
        {
            if (IsStoredBlob(kind, descriptor)
                && await _blobs.GetSizeAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false) != descriptor.Size)
            {
                return await FindMissingReferenceAsync(name, manifest, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async ValueTask<RegistryError?> FindMissingReferenceAsync(RepositoryName name, Manifest manifest, CancellationToken cancellationToken)
    {
        // The blobs' links in one call (one round trip on a database, not one per blob); the first reference missing
        // in the manifest's order is the one reported.
        var blobs = manifest.References.Where(reference => IsStoredBlob(reference.Kind, reference.Descriptor)).Select(reference => reference.Descriptor.Digest).ToHashSet();
        IReadOnlySet<Digest> linked = blobs.Count == 0
            ? blobs
            : await _metadata.FindLinkedBlobsAsync(name, blobs, cancellationToken).ConfigureAwait(false);
        foreach (var (descriptor, kind) in manifest.References)
        {
            switch (kind)
            {
                case ReferenceKind.Layer when descriptor.IsNonDistributable:
                    break;
                case ReferenceKind.Config or ReferenceKind.Layer:
                    if (!linked.Contains(descriptor.Digest)
                        || await _blobs.GetSizeAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false) is not { } size)
                    {
                        return RegistryError.ManifestBlobUnknown(descriptor.Digest);
                    }

                    if (size != descriptor.Size)
                    {
                        return RegistryError.ManifestInvalid($"{kind.ToString().ToLowerInvariant()} {descriptor.Digest} is {size} bytes, the manifest says {descriptor.Size}");
                    }

                    break;
                case ReferenceKind.Manifest:
                    if (await _metadata.GetManifestAsync(name, descriptor.Digest, cancellationToken).ConfigureAwait(false) is null)
                    {
                        return RegistryError.ManifestBlobUnknown(descriptor.Digest);
                    }

                    break;
            }
        }

        return null;
    }

    // A config or layer the repository must hold (non-distributable layers are fetched from elsewhere).
    private static bool IsStoredBlob(ReferenceKind kind, Descriptor descriptor) =>
        kind is ReferenceKind.Config || (kind is ReferenceKind.Layer && !descriptor.IsNonDistributable);

    private async ValueTask<byte[]?> ReadBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        var content = await _blobs.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        await using (content.ConfigureAwait(false))
        {
            return await content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
