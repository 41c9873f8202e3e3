using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Content-addressed, immutable blobs shared by all repositories of a registry (layers, configs and manifests alike).
/// </summary>
/// <remarks>
/// Whether a repository may see a blob is <see cref="IMetadataStore"/>'s business: this store only knows bytes by digest.
/// A committed blob appears atomically and is never rewritten. New blobs arrive through <see cref="IUploadStore"/>
/// or, for small content the caller has already hashed, <see cref="PutAsync"/>.
/// </remarks>
public interface IBlobStore
{
    /// <summary>The blob's size, or <c>null</c> when the store does not have it.</summary>
    ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for ranged reads, or returns <c>null</c> when the store does not have it.</summary>
    ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores small content whose digest the caller computed from <paramref name="content"/> (a manifest).
    /// Idempotent: storing content that is already there succeeds without rewriting it.
    /// </summary>
    ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; returns false when it was not there.</summary>
    ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Every committed blob, in no particular order.</summary>
    IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken cancellationToken = default);
}
