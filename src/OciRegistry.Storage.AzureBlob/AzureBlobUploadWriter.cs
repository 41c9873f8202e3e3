using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// Appends to a session's staging blob under the lease this instance holds: blocks of a PATCH's size
/// (<see cref="StagedBlocks.PatchBlockBytes"/>) are staged as they fill (<see cref="BlockStager"/>); closing stages
/// the rest and adds the blocks to the recorded ones. Nothing is committed: a PATCH costs its blocks' requests, sent
/// together.
/// </summary>
/// <remarks>
/// <see cref="Length"/> counts what was handed to the writer, as the caller records it before closing. If a block fails
/// because the lease was lost (another writer, a commit or a delete took the session), these bytes never become part
/// of the blob, and the session row refuses this writer's append too. A writer opened on a lease this instance kept
/// from an earlier PATCH, without asking Azure, sends no other block until its first is staged: if the lease turns out lost (another
/// instance broke it and recorded nothing since), it takes the session again at its offset and stages the block anew,
/// so that a row the caller still holds never records bytes that were not staged. If a block fails for another reason,
/// the row may record more than the blob holds: the next writer is then refused (offset mismatch) and the commit finds
/// a length mismatch, so the upload fails rather than storing other bytes.
/// </remarks>
internal sealed class AzureBlobUploadWriter : IUploadWriter
{
    // Renewed well before the 60 s lease runs out; a writer that stalls longer can still renew it unless someone
    // acquired it meanwhile, in which case its next request fails.
    internal static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(15);

    // A session this small, written whole by one writer, keeps its bytes for the commit (HeldStagingBlob.Content).
    private const int KeptBytes = 1024 * 1024;

    private readonly HeldStagingBlob _held;
    private readonly TimeProvider _time;
    private readonly BlockStager _stager;
    private readonly long _start;
    private BlobLeaseClient _lease;
    private bool _leaseConfirmed;
    private bool _disposed;

    public AzureBlobUploadWriter(HeldStagingBlob held, long offset, bool leaseConfirmed, TimeProvider time)
    {
        _held = held;
        _lease = held.Lease!;
        _leaseConfirmed = leaseConfirmed;
        _time = time;
        _start = offset;
        _stager = new BlockStager(offset, StageAsync, confirmFirst: !leaseConfirmed, StagedBlocks.PatchBlockBytes);
    }

    /// <inheritdoc />
    public long Length => _stager.Length;

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_leaseConfirmed && _time.GetElapsedTime(_held.RenewedAt) >= RenewEvery)
        {
            await _held.RenewAsync(cancellationToken).ConfigureAwait(false);
        }

        await _stager.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stages what is buffered and adds this writer's blocks to the recorded ones; the lease stays held.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            var buffered = _stager.Buffered;
            var content = _start == 0 && _stager.Blocks.Count == 0 && buffered.Count <= KeptBytes ? buffered.ToArray() : null;
            await _stager.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _held.Append(_lease, _stager.Blocks, Length, content);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // The lease was lost (taken over, broken by a delete) or the session is gone: this writer's bytes do not
            // count, and the session row refuses its append as well.
            if (ReferenceEquals(_held.Lease, _lease))
            {
                _held.Forget();
            }
        }
        finally
        {
            await _stager.DisposeAsync().ConfigureAwait(false);
            if (ReferenceEquals(_held.Writer, this))
            {
                _held.Writer = null;
            }
        }
    }

    // Under the lease. The first block on a lease kept from an earlier PATCH is staged before any other (BlockStager's
    // confirmFirst): if the lease was lost meanwhile, the session is taken again at this writer's offset (a writer that
    // recorded anything since would have moved the offset, so the caller's row lease would not have been granted here)
    // and the block is staged under the new lease.
    private async Task StageAsync(string id, ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        if (_leaseConfirmed)
        {
            await Stage(id, bytes, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await Stage(id, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            await _held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _held.Forget();
                if (await _held.LeaseAsync(breakHeld: true, cancellationToken).ConfigureAwait(false) != UploadWriteStatus.Opened)
                {
                    throw;
                }

                await _held.LoadAsync(cancellationToken).ConfigureAwait(false);
                if (await _held.TrimToAsync(_start, cancellationToken).ConfigureAwait(false) != UploadWriteStatus.Opened)
                {
                    throw;
                }

                _lease = _held.Lease!;
            }
            finally
            {
                _held.Gate.Release();
            }

            await Stage(id, bytes, cancellationToken).ConfigureAwait(false);
        }

        _leaseConfirmed = true;
    }

    private Task Stage(string id, ArraySegment<byte> bytes, CancellationToken cancellationToken) => _held.Blob.StageBlockAsync(
        id,
        BlockStager.Content(bytes),
        new BlockBlobStageBlockOptions { Conditions = new BlobRequestConditions { LeaseId = _lease.LeaseId } },
        cancellationToken);
}
