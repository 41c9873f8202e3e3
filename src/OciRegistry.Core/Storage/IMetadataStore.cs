using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Per-repository metadata: which blobs and manifests a repository has, its tags, and the referrers of each subject.
/// </summary>
/// <remarks>
/// Names and tags passed in have been validated by the caller. Listings are in ordinal (lexical) order and take a
/// start-after cursor: <c>after</c> excluded, at most <c>limit</c> items. A repository exists while it has any
/// manifest, tag or blob link.
/// </remarks>
public interface IMetadataStore
{
    /// <summary>Links a committed blob to a repository (idempotent).</summary>
    ValueTask LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>True when the blob is linked to the repository.</summary>
    ValueTask<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Unlinks a blob from a repository; returns false when it was not linked.</summary>
    ValueTask<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a manifest (whose bytes are already in the blob store) to a repository, records it as a referrer of its
    /// subject, and, when <paramref name="tag"/> is given, points the tag at it — all or nothing.
    /// </summary>
    ValueTask PutManifestAsync(string repository, ManifestRecord manifest, string? tag, CancellationToken cancellationToken = default);

    /// <summary>The manifest linked to the repository under <paramref name="digest"/>, or <c>null</c>.</summary>
    ValueTask<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>The digest a tag points at, or <c>null</c>.</summary>
    ValueTask<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>Unlinks a manifest, removes every tag pointing at it and its referrer entry; false when it was not linked.</summary>
    ValueTask<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag (the manifest stays); false when there was no such tag.</summary>
    ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>The repository's tags in lexical order, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Every tag of the repository with the digest it points at and when it was set (for garbage collection).</summary>
    ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>Every manifest linked to the repository (for garbage collection).</summary>
    ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>Every blob linked to the repository (for garbage collection).</summary>
    ValueTask<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>The manifests in the repository whose subject is <paramref name="subject"/>, in digest order.</summary>
    ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default);

    /// <summary>True when the repository has any manifest, tag or blob.</summary>
    ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>Repository names in lexical order, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default);
}
