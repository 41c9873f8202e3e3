using System.Buffers;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// A whole blob written into its session's data file, as a PATCH's bytes. The bytes are flushed to disk when the
/// caller has verified them (<see cref="FlushAsync"/>, while its link and the end of the session's row are on their way
/// to the metadata store) instead of at the commit, and the commit happens under the lock the writer holds: it only
/// moves the file into the blob store.
/// </summary>
internal sealed class FileSystemBlobWriter(FileSystemUploadStore store, string id, Digest digest, FileSystemUploadWriter writer) : IBlobWriter
{
    private bool _flushed;
    private bool _closed;

    /// <inheritdoc />
    public long Length => writer.Length;

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        _flushed = false;
        return writer.WriteAsync(data, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>On the calling thread: the caller's metadata call is in flight meanwhile, and a hop to another thread would cost more than it overlaps.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            writer.FlushToDisk();
            _flushed = true;
            return ValueTask.CompletedTask;
        }
        catch (Exception exception)
        {
            return ValueTask.FromException(exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        CommittedSession committed;
        try
        {
            committed = store.CommitLocked(id, digest, writer.Length, _flushed);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }

        store.Recycle(committed);
        return committed.Status;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
