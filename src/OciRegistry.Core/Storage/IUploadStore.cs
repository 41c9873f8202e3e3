using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Upload sessions: bytes written in one or more chunks, then committed into the <see cref="IBlobStore"/> of the same
/// backend under the digest the caller computed and verified.
/// </summary>
/// <remarks>
/// The bytes live in the store, so another registry instance sharing it can continue an upload; which of them count
/// (the committed length) and who may write (the lease) is the <see cref="IUploadSessionStore"/>'s row.
/// </remarks>
public interface IUploadStore
{
    /// <summary>Starts an empty session in <paramref name="repository"/>.</summary>
    ValueTask<UploadSession> CreateAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>The session's current state, or <c>null</c> when it does not exist.</summary>
    ValueTask<UploadSession?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a writer that appends at <paramref name="offset"/>, which must not exceed the session's stored length;
    /// bytes stored beyond it are discarded (a writer's whose append the <see cref="IUploadSessionStore"/> did not
    /// record: the caller holds the session's lease at that committed length). At most one writer per session is open
    /// at a time.
    /// </summary>
    ValueTask<(UploadWriteStatus Status, IUploadWriter? Writer)> OpenWriterAsync(string id, long offset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a writer for the whole content of the empty session <paramref name="id"/>, whose digest the caller knows
    /// before the bytes arrive (a monolithic push: <c>PUT ?digest=</c> with the body, <c>POST ?digest=</c>). The store
    /// may write the bytes straight to the blob's final place (no copy at the commit), as nothing appears under
    /// <paramref name="digest"/> before <see cref="IBlobWriter.CommitAsync"/>, which the caller calls only once it has
    /// verified the bytes. Bytes stored in the session beyond 0 are discarded, as by <see cref="OpenWriterAsync"/> at
    /// offset 0. At most one writer per session is open at a time (<see cref="UploadWriteStatus.Busy"/>).
    /// </summary>
    /// <remarks>
    /// By default the bytes go into the session through <see cref="OpenWriterAsync"/> and the writer's commit is
    /// <see cref="CommitAsync"/>: right for stores whose commit is already a rename or a hand-over of the bytes. Object
    /// stores, whose commit is a server-side copy, override it.
    /// </remarks>
    ValueTask<(UploadWriteStatus Status, IBlobWriter? Writer)> OpenBlobWriterAsync(string id, Digest digest, CancellationToken cancellationToken = default) =>
        SessionBlobWriter.OpenAsync(this, id, digest, cancellationToken);

    /// <summary>Opens what has been written so far for reading (to re-hash a session another instance started).</summary>
    ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the session's bytes durable, moves them into the blob store as <paramref name="digest"/> atomically and
    /// ends the session — only when it holds exactly <paramref name="length"/> bytes, the bytes whose digest the
    /// caller verified (<see cref="UploadCommitStatus.LengthMismatch"/> otherwise, nothing changed): what is committed
    /// under a digest is exactly what was hashed, whatever another request on the session did meanwhile.
    /// A blob already stored under that digest is replaced atomically (readers keep what they opened), so a copy whose
    /// bytes went bad is repaired by the next genuine push. A session with an open writer is left as it is
    /// (<see cref="UploadCommitStatus.Busy"/>).
    /// </summary>
    ValueTask<UploadCommitStatus> CommitAsync(string id, Digest digest, long length, CancellationToken cancellationToken = default);

    /// <summary>Ends the session and discards its bytes; returns false when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every open session, for expiry.</summary>
    IAsyncEnumerable<UploadSession> ListAsync(CancellationToken cancellationToken = default);
}
