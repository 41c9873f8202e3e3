namespace OciRegistry.Core.Storage;

/// <summary>
/// Writes the whole content of a blob whose digest is known before its bytes arrive
/// (<see cref="IUploadStore.OpenBlobWriterAsync"/>). The bytes may go straight to the blob's final place, but nothing
/// appears under the digest until <see cref="CommitAsync"/>.
/// </summary>
/// <remarks>
/// Disposing the writer without committing discards what was written: nothing becomes visible under the digest, and
/// the session's recorded length stays 0 (bytes a store kept in the session are discarded by its next writer).
/// </remarks>
public interface IBlobWriter : IUploadWriter
{
    /// <summary>
    /// Makes the bytes written so far durable ahead of <see cref="CommitAsync"/>, which then need not wait for that
    /// again. The caller calls it once the bytes are verified, while the metadata calls the commit waits for are in
    /// flight, so a store whose commit flushes a file can do that meanwhile. Nothing by default.
    /// </summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Makes the bytes written durable and visible under the digest, atomically, and ends the session, as
    /// <see cref="IUploadStore.CommitAsync"/> does. The caller calls it only after it verified that the bytes written
    /// hash to the digest and ended the session's row; a blob already stored under the digest is replaced atomically.
    /// </summary>
    /// <returns>
    /// <see cref="UploadCommitStatus.Committed"/>; else why nothing was stored (<see cref="UploadCommitStatus.Unknown"/>:
    /// the session was deleted meanwhile).
    /// </returns>
    ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default);
}
