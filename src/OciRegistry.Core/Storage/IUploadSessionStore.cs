using OciRegistry.Core.Digests;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Upload sessions' state as rows of the metadata backend, shared by every registry instance on it: the session's
/// repository, its start, the length committed so far, and a writer lease (an owner and an expiry). The upload byte
/// store (<see cref="IUploadStore"/>) only holds bytes; this row says which of them count.
/// </summary>
/// <remarks>
/// <para>One writer at a time across processes and instances: a PATCH first leases the session at the offset it
/// appends at (<see cref="LeaseUploadSessionAsync"/>, refused while another live lease holds it or when the offset is
/// not the committed length), writes its bytes, then records the new length by compare-and-set on the offset and its
/// own lease (<see cref="AdvanceUploadSessionAsync"/>). A writer whose lease expired and was taken over is refused
/// there, so its bytes never count. Bytes beyond the committed length are a refused or crashed writer's; the next
/// writer overwrites them.</para>
/// <para>The session ends exactly once (<see cref="EndUploadSessionAsync"/>): a commit only at the length it hashed
/// and with no live lease, a cancellation or expiry at any time.</para>
/// </remarks>
public interface IUploadSessionStore
{
    /// <summary>Records a new session (length 0, no lease).</summary>
    ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default);

    /// <summary>The session's row, or <c>null</c> when it does not exist or has ended.</summary>
    ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the writer lease for <paramref name="owner"/> until <paramref name="duration"/> from now, if the session's
    /// committed length is <paramref name="offset"/> and no other lease is live (an expired one is taken over).
    /// </summary>
    /// <returns><see cref="UploadWriteStatus.Opened"/> when leased; else why not, nothing changed.</returns>
    ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// The read and the lease of a PATCH: finds session <paramref name="id"/> live in <paramref name="repository"/>
    /// (started at or after <paramref name="notStartedBefore"/>) and leases it as <see cref="LeaseUploadSessionAsync"/>
    /// does at its committed length, if that is <paramref name="offset"/> (without one, whatever it is). A store may do
    /// both in one round trip.
    /// </summary>
    /// <returns>
    /// The session as found, with the length the lease was taken or refused at (null when there is no such live
    /// session of the repository, with <see cref="UploadWriteStatus.Unknown"/>), and <see cref="UploadWriteStatus.Opened"/>
    /// when leased; else why not, nothing changed.
    /// </returns>
    async ValueTask<(UploadSession? Session, UploadWriteStatus Status)> LeaseLiveUploadSessionAsync(string id, RepositoryName repository, DateTimeOffset notStartedBefore, long? offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var session = await GetUploadSessionAsync(id, cancellationToken).ConfigureAwait(false);
        if (session is null || session.Repository != repository || session.StartedAt < notStartedBefore)
        {
            return (null, UploadWriteStatus.Unknown);
        }

        if (offset is { } at && at != session.Length)
        {
            return (session, UploadWriteStatus.OffsetMismatch);
        }

        var status = await LeaseUploadSessionAsync(id, session.Length, owner, duration, cancellationToken).ConfigureAwait(false);
        if (status == UploadWriteStatus.OffsetMismatch)
        {
            // Another writer moved the length since the read: the session as it is now.
            session = await GetUploadSessionAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return session is null || status == UploadWriteStatus.Unknown ? (null, UploadWriteStatus.Unknown) : (session, status);
    }

    /// <summary>
    /// Records that <paramref name="owner"/>'s append took the session from <paramref name="from"/> to
    /// <paramref name="to"/> bytes and releases its lease: only if <paramref name="owner"/> still holds the lease
    /// (expired or not, as long as nobody took it over) and the length is still <paramref name="from"/>.
    /// </summary>
    /// <returns>False when refused (taken over, ended): the append does not count.</returns>
    ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the session. With <paramref name="length"/> (a commit): only when its committed length is exactly that and
    /// no live lease holds it. Without (a cancellation, an expiry): whatever its state; a writer still appending is
    /// then refused when it records its append.
    /// </summary>
    /// <returns>
    /// <see cref="UploadCommitStatus.Committed"/> for the one call that ended it; <see cref="UploadCommitStatus.Unknown"/>
    /// when it had ended already; <see cref="UploadCommitStatus.Busy"/> or <see cref="UploadCommitStatus.LengthMismatch"/>
    /// when a commit is refused (nothing changed).
    /// </returns>
    ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes an upload whose bytes hashed to <paramref name="digest"/>: links the blob to
    /// <paramref name="repository"/> (<see cref="IMetadataStore.LinkBlobAsync"/> on <paramref name="metadata"/>), and
    /// only when it linked, ends session <paramref name="id"/> at <paramref name="length"/>
    /// (<see cref="EndUploadSessionAsync"/>). A store that is <paramref name="metadata"/> too may do both in one
    /// round trip.
    /// </summary>
    /// <returns>
    /// Null when the link was refused (a collector is deleting the blob's bytes): nothing changed, the session goes on.
    /// Otherwise how the end went; the link stays whether or not the session ended.
    /// </returns>
    async ValueTask<UploadCommitStatus?> LinkBlobAndEndUploadSessionAsync(IMetadataStore metadata, RepositoryName repository, Digest digest, long size, string id, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return await metadata.LinkBlobAsync(repository, digest, size, cancellationToken).ConfigureAwait(false)
            ? await EndUploadSessionAsync(id, length, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Every session that has not ended, for limits and expiry.</summary>
    IAsyncEnumerable<UploadSession> ListUploadSessionsAsync(CancellationToken cancellationToken = default);
}
