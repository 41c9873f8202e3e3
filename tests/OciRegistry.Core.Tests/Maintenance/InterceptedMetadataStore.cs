using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// Wraps a metadata store so every call first runs <paramref name="before"/> with the method's name: yield the thread
/// (in-memory stores complete synchronously; yielding lets concurrent pushes and collections interleave between any
/// two store calls, as a real backend's I/O does), or throw to stop a caller at an exact step, as a kill would.
/// </summary>
internal sealed class InterceptedMetadataStore(IMetadataStore inner, Func<string, ValueTask> before) : IMetadataStore
{
    /// <summary>Every call yields the thread first.</summary>
    public static InterceptedMetadataStore Yielding(IMetadataStore inner) => new(inner, static async _ => await Task.Yield());

    public async ValueTask<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken = default)
    {
        await before(nameof(LinkBlobAsync));
        return await inner.LinkBlobAsync(repository, digest, size, cancellationToken);
    }

    public async ValueTask<bool> TryAcquireCollectorLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await before(nameof(TryAcquireCollectorLeaseAsync));
        return await inner.TryAcquireCollectorLeaseAsync(holder, duration, cancellationToken);
    }

    public async ValueTask ReleaseCollectorLeaseAsync(string holder, CancellationToken cancellationToken = default)
    {
        await before(nameof(ReleaseCollectorLeaseAsync));
        await inner.ReleaseCollectorLeaseAsync(holder, cancellationToken);
    }

    public async ValueTask<bool> BeginBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(BeginBlobDeletionAsync));
        return await inner.BeginBlobDeletionAsync(digest, cancellationToken);
    }

    public async ValueTask EndBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(EndBlobDeletionAsync));
        await inner.EndBlobDeletionAsync(digest, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<Digest>> ListBlobDeletionsAsync(CancellationToken cancellationToken = default)
    {
        await before(nameof(ListBlobDeletionsAsync));
        return await inner.ListBlobDeletionsAsync(cancellationToken);
    }

    public async ValueTask<bool> IsBlobLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(IsBlobLinkedAsync));
        return await inner.IsBlobLinkedAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<IReadOnlySet<Digest>> FindLinkedBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        await before(nameof(FindLinkedBlobsAsync));
        return await inner.FindLinkedBlobsAsync(repository, digests, cancellationToken);
    }

    public async ValueTask<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(UnlinkBlobAsync));
        return await inner.UnlinkBlobAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<bool> UnlinkUnusedBlobAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default)
    {
        await before(nameof(UnlinkUnusedBlobAsync));
        return await inner.UnlinkUnusedBlobAsync(repository, digest, linkedBefore, cancellationToken);
    }

    public async ValueTask<ManifestPutResult> PutManifestAsync(RepositoryName repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default)
    {
        await before(nameof(PutManifestAsync));
        return await inner.PutManifestAsync(repository, manifest, references, tag, tagIsImmutable, cancellationToken);
    }

    public async ValueTask<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(GetManifestAsync));
        return await inner.GetManifestAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<IReadOnlyDictionary<Digest, ManifestRecord>> GetManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        await before(nameof(GetManifestsAsync));
        return await inner.GetManifestsAsync(repository, digests, cancellationToken);
    }

    public async ValueTask<Digest?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        await before(nameof(ResolveTagAsync));
        return await inner.ResolveTagAsync(repository, tag, cancellationToken);
    }

    public async ValueTask<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        await before(nameof(GetTaggedManifestAsync));
        return await inner.GetTaggedManifestAsync(repository, tag, cancellationToken);
    }

    public async ValueTask<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await before(nameof(DeleteManifestAsync));
        return await inner.DeleteManifestAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<bool> DeleteUnusedManifestAsync(RepositoryName repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default)
    {
        await before(nameof(DeleteUnusedManifestAsync));
        return await inner.DeleteUnusedManifestAsync(repository, digest, pushedBefore, cancellationToken);
    }

    public async ValueTask<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        await before(nameof(DeleteTagAsync));
        return await inner.DeleteTagAsync(repository, tag, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListTagsAsync));
        return await inner.ListTagsAsync(repository, after, limit, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        await before(nameof(GetTagsAsync));
        return await inner.GetTagsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListManifestsAsync));
        return await inner.ListManifestsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListBlobLinksAsync));
        return await inner.ListBlobLinksAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListReferrersAsync));
        return await inner.ListReferrersAsync(repository, subject, cancellationToken);
    }

    public async ValueTask<bool> RepositoryExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        await before(nameof(RepositoryExistsAsync));
        return await inner.RepositoryExistsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RepositoryName>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListRepositoriesAsync));
        return await inner.ListRepositoriesAsync(after, limit, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RepositoryName>> SearchRepositoriesAsync(string contains, string? after, int limit, CancellationToken cancellationToken = default)
    {
        await before(nameof(SearchRepositoriesAsync));
        return await inner.SearchRepositoriesAsync(contains, after, limit, cancellationToken);
    }

    public async ValueTask<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>> GetRepositoryStatisticsAsync(IReadOnlyCollection<RepositoryName> repositories, CancellationToken cancellationToken = default)
    {
        await before(nameof(GetRepositoryStatisticsAsync));
        return await inner.GetRepositoryStatisticsAsync(repositories, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<TagEntry>> ListTagEntriesAsync(RepositoryName repository, TagListQuery query, CancellationToken cancellationToken = default)
    {
        await before(nameof(ListTagEntriesAsync));
        return await inner.ListTagEntriesAsync(repository, query, cancellationToken);
    }

    public async ValueTask<int> CountTagsAsync(RepositoryName repository, string? contains, CancellationToken cancellationToken = default)
    {
        await before(nameof(CountTagsAsync));
        return await inner.CountTagsAsync(repository, contains, cancellationToken);
    }

    public async ValueTask<BlobLinkStatistics> GetBlobLinkStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await before(nameof(GetBlobLinkStatisticsAsync));
        return await inner.GetBlobLinkStatisticsAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlySet<Digest>> FindBlobsLinkedElsewhereAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        await before(nameof(FindBlobsLinkedElsewhereAsync));
        return await inner.FindBlobsLinkedElsewhereAsync(repository, digests, cancellationToken);
    }
}
