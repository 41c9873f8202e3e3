using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// The collection state the metadata store keeps for garbage collection, so that it holds across processes and
/// instances sharing the store: the collector lease (one collection at a time) and the blobs whose bytes a collector
/// is deleting (no repository can link them meanwhile).
/// </summary>
/// <remarks>
/// Times come from the store's clock. A lease is taken for a duration and renewed by its holder while it collects; a
/// holder that dies leaves a lease that expires, after which the next collector takes it. While a lease is live, a
/// blob marked for deletion cannot be linked (<see cref="LinkBlobAsync"/> is false, <see cref="PutManifestAsync"/>
/// answers <see cref="ManifestPutStatus.BlobDeleting"/>); once no lease is live, the first link rolls the mark back
/// (the collector that made it is gone), and a collector that takes the lease first resumes the deletion instead.
/// </remarks>
public partial interface IMetadataStore
{
    /// <summary>
    /// Takes the collector lease for <paramref name="duration"/> when no one holds it, its holder's time ran out, or
    /// <paramref name="holder"/> holds it already (a renewal); one transaction. False when another holder's lease is
    /// live: another collection is running.
    /// </summary>
    ValueTask<bool> TryAcquireCollectorLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up when <paramref name="holder"/> holds it; does nothing otherwise.</summary>
    ValueTask ReleaseCollectorLeaseAsync(string holder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a blob's bytes as being deleted, in one transaction, only when no repository links the blob (an
    /// unreferenced manifest is linked too, so it is covered). True when marked, or already marked by an interrupted
    /// collection (the caller resumes it); false when a repository links it.
    /// </summary>
    ValueTask<bool> BeginBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Removes the mark once the bytes are gone: the digest can be linked (and stored) again.</summary>
    ValueTask EndBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>The blobs marked as being deleted, in digest order: left by a collection that did not finish.</summary>
    ValueTask<IReadOnlyList<Digest>> ListBlobDeletionsAsync(CancellationToken cancellationToken = default);
}
