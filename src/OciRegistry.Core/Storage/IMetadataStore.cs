using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Per-repository metadata: which blobs and manifests a repository has, its tags, and the referrers of each subject.
/// </summary>
/// <remarks>
/// <para>Names and tags passed in have been validated by the caller. Listings are in ordinal (lexical) order and take a
/// start-after cursor: <c>after</c> excluded, at most <c>limit</c> items. A repository exists while it has any
/// manifest, tag or blob link.</para>
/// <para>Every write is atomic with respect to every other (a transaction, or one lock in memory) and durable once it
/// returns. The conditional writes (<see cref="PutManifestAsync"/>, <see cref="UnlinkUnusedBlobAsync"/>,
/// <see cref="DeleteUnusedManifestAsync"/>) check and change in the same transaction: that is what keeps a push and
/// a garbage collection, in any process, from leaving a manifest whose blobs are gone.</para>
/// </remarks>
public partial interface IMetadataStore
{
    /// <summary>
    /// Links a committed blob of <paramref name="size"/> bytes to a repository, or refreshes the link's
    /// <see cref="BlobLink.LinkedAt"/> and size (idempotent). The size is kept with the link so that a repository's
    /// total and the storage overview are sums in the store, never a read of the blobs.
    /// False, changing nothing, while a collector deletes the blob's bytes (<see cref="BeginBlobDeletionAsync"/>): the
    /// caller waits for the deletion to end, then links and stores the bytes again.
    /// </summary>
    ValueTask<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken = default);

    /// <summary>True when the blob is linked to the repository.</summary>
    ValueTask<bool> IsBlobLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Which of <paramref name="digests"/> are linked to the repository, in one call (a manifest put whose blobs' bytes
    /// are missing or of another size checks its config and layers at once, not one by one).
    /// </summary>
    /// <remarks>
    /// By default <see cref="IsBlobLinkedAsync"/> for each digest: right for stores in the process, where a call costs no
    /// round trip. Stores across a network answer in one query.
    /// </remarks>
    async ValueTask<IReadOnlySet<Digest>> FindLinkedBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var linked = new HashSet<Digest>();
        foreach (var digest in digests)
        {
            if (await IsBlobLinkedAsync(repository, digest, cancellationToken).ConfigureAwait(false))
            {
                linked.Add(digest);
            }
        }

        return linked;
    }

    /// <summary>Unlinks a blob from a repository; returns false when it was not linked.</summary>
    ValueTask<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unlinks a blob only when nothing in the repository needs it: it was linked before <paramref name="linkedBefore"/>,
    /// no manifest of the repository references it and no manifest of the repository is stored under it. Check and
    /// unlink are one transaction (garbage collection). False when it was kept or not linked.
    /// </summary>
    ValueTask<bool> UnlinkUnusedBlobAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a manifest (whose bytes are already in the blob store) in a repository, all or nothing, in one
    /// transaction: checks that every reference is in the repository and, when <paramref name="tagIsImmutable"/>, that
    /// <paramref name="tag"/> does not point at another manifest; then links the manifest's own blob, records the
    /// manifest with its references (and as a referrer of its subject) and points the tag at it.
    /// </summary>
    ValueTask<ManifestPutResult> PutManifestAsync(RepositoryName repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default);

    /// <summary>The manifest linked to the repository under <paramref name="digest"/>, or <c>null</c>.</summary>
    ValueTask<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// The manifests among <paramref name="digests"/> linked to the repository, by digest, in one call (a page of tags
    /// asks once for its rows' manifests); a digest it does not have is left out.
    /// </summary>
    ValueTask<IReadOnlyDictionary<Digest, ManifestRecord>> GetManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default);

    /// <summary>The digest a tag points at, or <c>null</c>.</summary>
    ValueTask<Digest?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>
    /// The manifest a tag points at, or <c>null</c> when there is no such tag: what <see cref="ResolveTagAsync"/> and
    /// then <see cref="GetManifestAsync"/> would return, in one read (the pull of a tag, a registry's hottest path).
    /// </summary>
    ValueTask<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>Unlinks a manifest, removes every tag pointing at it and its referrer entry; false when it was not linked.</summary>
    ValueTask<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a manifest only when nothing in the repository needs it: it was pushed before
    /// <paramref name="pushedBefore"/>, no tag points at it and no other manifest of the repository references it.
    /// Check and delete are one transaction (garbage collection). False when it was kept or not there.
    /// </summary>
    ValueTask<bool> DeleteUnusedManifestAsync(RepositoryName repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag (the manifest stays); false when there was no such tag.</summary>
    ValueTask<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>The repository's tags in lexical order, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Every tag of the repository with the digest it points at and when it was set (for garbage collection).</summary>
    ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>Every manifest linked to the repository (for garbage collection).</summary>
    ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>Every blob linked to the repository, with when it was last linked (for garbage collection).</summary>
    ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>The manifests in the repository whose subject is <paramref name="subject"/>, in digest order.</summary>
    ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default);

    /// <summary>True when the repository has any manifest, tag or blob.</summary>
    ValueTask<bool> RepositoryExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>Repository names in lexical order, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<RepositoryName>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Repository names containing <paramref name="contains"/> (ASCII letters compared without case) in lexical order,
    /// after <paramref name="after"/>, at most <paramref name="limit"/>. The store filters while it walks its keyset, so
    /// a page costs the names it passes over, never a read of every repository's links or tags.
    /// </summary>
    ValueTask<IReadOnlyList<RepositoryName>> SearchRepositoriesAsync(string contains, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts, total size, largest pull and last push of each of <paramref name="repositories"/> (<see cref="RepositoryStatistics.Empty"/>
    /// for one that does not exist), in one call: a page of the repository list asks once, not once per row.
    /// </summary>
    /// <returns>Every repository asked for, each once.</returns>
    ValueTask<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>> GetRepositoryStatisticsAsync(IReadOnlyCollection<RepositoryName> repositories, CancellationToken cancellationToken = default);

    /// <summary>A keyset page of the repository's tags with their digests and times, filtered and ordered by <paramref name="query"/>.</summary>
    ValueTask<IReadOnlyList<TagEntry>> ListTagEntriesAsync(RepositoryName repository, TagListQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many of the repository's tags contain <paramref name="contains"/> (as in <see cref="TagListQuery.Contains"/>; null or empty counts all).</summary>
    ValueTask<int> CountTagsAsync(RepositoryName repository, string? contains, CancellationToken cancellationToken = default);

    /// <summary>The registry's repositories, linked blobs and their bytes, each blob once and once per link (aggregates in the store, for the storage overview).</summary>
    ValueTask<BlobLinkStatistics> GetBlobLinkStatisticsAsync(CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="digests"/> a repository other than <paramref name="repository"/> links (so collecting this one's links keeps their bytes).</summary>
    ValueTask<IReadOnlySet<Digest>> FindBlobsLinkedElsewhereAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default);
}
