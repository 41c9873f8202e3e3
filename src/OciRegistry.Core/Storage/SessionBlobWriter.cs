using System.Buffers;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// The default <see cref="IUploadStore.OpenBlobWriterAsync"/>: the bytes go into the session like a PATCH's, and the
/// commit is the store's own <see cref="IUploadStore.CommitAsync"/> of exactly the bytes written.
/// </summary>
internal sealed class SessionBlobWriter(IUploadStore store, string id, Digest digest, IUploadWriter writer) : IBlobWriter
{
    private bool _closed;

    public static async ValueTask<(UploadWriteStatus Status, IBlobWriter? Writer)> OpenAsync(IUploadStore store, string id, Digest digest, CancellationToken cancellationToken)
    {
        var (status, writer) = await store.OpenWriterAsync(id, 0, cancellationToken).ConfigureAwait(false);
        return writer is null ? (status, null) : (status, new SessionBlobWriter(store, id, digest, writer));
    }

    public long Length => writer.Length;

    public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default) => writer.WriteAsync(data, cancellationToken);

    public async ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default)
    {
        var length = writer.Length;
        await DisposeAsync().ConfigureAwait(false);
        return await store.CommitAsync(id, digest, length, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
