using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// Writes a blob whose digest is known up front straight to <c>blobs/&lt;digest&gt;</c>: full blocks are staged on
/// that blob as they fill (up to five in flight, as <see cref="AzureBlobUploadWriter"/>), and the commit is one Put
/// Block List, or, for content that fits in one block, one Put Blob of the buffered bytes. Staged blocks are invisible
/// until committed, so nothing unverified ever shows under the digest; a writer disposed without committing leaves only
/// uncommitted blocks, which Azure discards with the next commit of that name or after a week.
/// </summary>
/// <remarks>
/// Block ids carry this writer's random id, so two identical pushes never stage a block of the same id. The first of
/// them to commit discards the other's staged blocks, whose commit then fails: the blob is there, verified by the first,
/// and counts as committed when its length is this writer's.
/// </remarks>
internal sealed class AzureBlobWriter : IBlobWriter
{
    private const int MaxBlocksInFlight = 5;
    private const int InFlightBytes = MaxBlocksInFlight * StagedBlocks.MinBlockBytes;

    private readonly BlockBlobClient _blob;
    private readonly Func<Task> _endSession;
    private readonly Guid _writer = Guid.NewGuid();
    private readonly List<string> _blocks = [];
    private readonly Queue<(Task Staging, byte[] Buffer)> _staging = new();
    private byte[]? _buffer;
    private int _blockBytes;
    private int _filled;
    private long _blockStart;
    private bool _closed;

    /// <param name="blob">The blob's final place.</param>
    /// <param name="endSession">Ends the upload session the bytes came in, alongside the commit.</param>
    public AzureBlobWriter(BlockBlobClient blob, Func<Task> endSession)
    {
        _blob = blob;
        _endSession = endSession;
    }

    /// <inheritdoc />
    public long Length { get; private set; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (!data.IsEmpty)
        {
            if (_buffer is null)
            {
                _blockBytes = StagedBlocks.BlockBytes(_blockStart);
                _buffer = ArrayPool<byte>.Shared.Rent(_blockBytes);
            }

            var piece = data.Length > _blockBytes - _filled ? data.Slice(0, _blockBytes - _filled) : data;
            piece.CopyTo(_buffer.AsSpan(_filled));
            _filled += (int)piece.Length;
            Length += piece.Length;
            data = data.Slice(piece.End);
            if (_filled == _blockBytes)
            {
                await StageBufferAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The session's staging blob is deleted while the blob is committed: the caller ended its row already.</remarks>
    public async ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var endSession = _endSession();
        try
        {
            if (_blocks.Count == 0)
            {
                var content = new MemoryStream(_buffer ?? [], 0, _filled, writable: false);
                await _blob.UploadAsync(content, new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (_filled > 0)
                {
                    await StageBufferAsync(cancellationToken).ConfigureAwait(false);
                }

                await FinishStagingAsync().ConfigureAwait(false);
                await CommitBlocksAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await endSession.ConfigureAwait(false);
            await DisposeAsync().ConfigureAwait(false);
        }

        return UploadCommitStatus.Committed;
    }

    /// <summary>Waits for the blocks in flight and returns the buffers; what was staged and not committed stays invisible.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        while (_staging.Count > 0)
        {
            try
            {
                await FinishOldestAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Only the buffers matter here: nothing of this writer will be committed.
            }
        }

        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private async Task CommitBlocksAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _blob.CommitBlockListAsync(_blocks, new CommitBlockListOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            // An identical push committed first and discarded these blocks; its copy, verified too, is the blob.
            var existing = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing.Value.ContentLength != Length)
            {
                throw;
            }
        }
    }

    private async Task StageBufferAsync(CancellationToken cancellationToken)
    {
        if (_staging.Count >= Math.Clamp(InFlightBytes / _blockBytes, 1, MaxBlocksInFlight))
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }

        var id = StagedBlocks.Id(_blockStart, _writer);
        var staging = _blob.StageBlockAsync(id, new MemoryStream(_buffer!, 0, _filled, writable: false), cancellationToken: cancellationToken);
        _staging.Enqueue((staging, _buffer!));
        _blocks.Add(id);
        _blockStart += _filled;
        _buffer = null;
        _filled = 0;
    }

    private async Task FinishStagingAsync()
    {
        while (_staging.Count > 0)
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }
    }

    private async Task FinishOldestAsync()
    {
        var (staging, buffer) = _staging.Dequeue();
        try
        {
            await staging.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
