using System.Buffers;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// A PATCH's writer when PATCHes are acknowledged before their bytes are staged
/// (<see cref="AzureBlobStorageOptions.AcknowledgePatchesBeforeStaging"/>): it hands the bytes to the session's
/// <see cref="WriteBehindBlocks"/> and closes without waiting for Azure. Opened on a lease this instance holds: renewed
/// for it, unless bytes acknowledged under it are still being staged (no other instance takes the session meanwhile).
/// </summary>
internal sealed class WriteBehindUploadWriter : IUploadWriter
{
    private readonly HeldStagingBlob _held;
    private readonly WriteBehindBlocks _blocks;
    private readonly TimeProvider _time;
    private bool _disposed;

    public WriteBehindUploadWriter(HeldStagingBlob held, WriteBehindBlocks blocks, TimeProvider time)
    {
        _held = held;
        _blocks = blocks;
        _time = time;
        blocks.BeginPatch();
    }

    /// <inheritdoc />
    public long Length => _blocks.Length;

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_time.GetElapsedTime(_held.RenewedAt) >= AzureBlobUploadWriter.RenewEvery)
        {
            await _held.RenewAsync(cancellationToken).ConfigureAwait(false);
        }

        await _blocks.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves what is buffered to be staged in the background; the lease stays held.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _blocks.EndPatch();
            if (ReferenceEquals(_held.Writer, this))
            {
                _held.Writer = null;
            }
        }

        return ValueTask.CompletedTask;
    }
}
