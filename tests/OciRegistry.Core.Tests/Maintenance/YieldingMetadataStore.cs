using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// Wraps a metadata store so every call first yields the thread: with in-memory stores, which complete synchronously,
/// this lets concurrent pushes and collections interleave between any two store calls, as a real backend's I/O does.
/// </summary>
internal sealed class YieldingMetadataStore(IMetadataStore inner) : IMetadataStore
{
    public async ValueTask LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await inner.LinkBlobAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.IsBlobLinkedAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.UnlinkBlobAsync(repository, digest, cancellationToken);
    }

    public async ValueTask PutManifestAsync(string repository, ManifestRecord manifest, string? tag, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await inner.PutManifestAsync(repository, manifest, tag, cancellationToken);
    }

    public async ValueTask<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.GetManifestAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ResolveTagAsync(repository, tag, cancellationToken);
    }

    public async ValueTask<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.DeleteManifestAsync(repository, digest, cancellationToken);
    }

    public async ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.DeleteTagAsync(repository, tag, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ListTagsAsync(repository, after, limit, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(string repository, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.GetTagsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ListManifestsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ListBlobLinksAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ListReferrersAsync(repository, subject, cancellationToken);
    }

    public async ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.RepositoryExistsAsync(repository, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ListRepositoriesAsync(after, limit, cancellationToken);
    }
}
