using System.Buffers;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// Cuts a writer's bytes into blocks and stages them, for both writers (<see cref="AzureBlobUploadWriter"/>,
/// <see cref="AzureBlobWriter"/>, each with its block sizes): bytes are gathered into pooled buffers of a block, each
/// full block is staged while the next fills (up to 40 MiB in flight: five blocks of 8 MiB, as many as the SDK's own
/// parallel upload sends), and <see cref="FlushAsync"/> stages what is left split into up to four blocks sent at once
/// (<see cref="StagedBlocks.Pieces"/>): the end of a write is what its client waits for.
/// </summary>
/// <remarks>
/// Five full blocks in flight against one at a time: 0.6–0.75 of the SDK's time on the same 256 MiB to Azurite became
/// 0.81–0.91 with three (load average 30). A run of 16 MiB PATCHes whose last 8 MiB go as four blocks took 0.94 of the
/// time of one block each; 1 MiB PATCHes as four blocks of 256 KiB took 1.43×, so pieces start at 1 MiB. A first block
/// that must be confirmed used to stop the reading until it was staged; the bytes behind it are now buffered
/// meanwhile (benchmarks/RESULTS-OBJECT-STORAGE.md).
/// </remarks>
internal sealed class BlockStager
{
    private const int InFlightBytes = 5 * StagedBlocks.MinBlockBytes;

    private readonly Func<long, int> _blockBytesAt;
    private readonly Func<string, ArraySegment<byte>, CancellationToken, Task> _stage;
    private readonly ArrayPool<byte> _pool;
    private readonly Guid _writer = Guid.NewGuid();

    // Blocks being sent, oldest first, each with the pooled buffer it reads from.
    private readonly Queue<(Task Staging, byte[] Buffer)> _staging = new();
    private byte[]? _buffer;
    private int _blockBytes;
    private int _filled;
    private long _blockStart;
    private bool _confirmFirst;

    // The first block's staging while it must be confirmed; every later block is sent once it succeeds.
    private Task _confirming = Task.CompletedTask;

    /// <param name="offset">Where in the upload the first byte goes.</param>
    /// <param name="stage">Stages one block (its id and bytes); blocks of one stager may be sent at once.</param>
    /// <param name="confirmFirst">Whether the first block must be staged before any other is sent.</param>
    /// <param name="blockBytesAt">The size of the block that starts at an offset; a whole blob's by default.</param>
    /// <param name="pool">Where the block buffers come from and go back to; the shared pool when omitted.</param>
    public BlockStager(
        long offset,
        Func<string, ArraySegment<byte>, CancellationToken, Task> stage,
        bool confirmFirst = false,
        Func<long, int>? blockBytesAt = null,
        ArrayPool<byte>? pool = null)
    {
        _blockStart = offset;
        _blockBytesAt = blockBytesAt ?? StagedBlocks.BlockBytes;
        Length = offset;
        _stage = stage;
        _confirmFirst = confirmFirst;
        _pool = pool ?? ArrayPool<byte>.Shared;
    }

    /// <summary>Where the next byte goes: the offset the stager started at plus every byte written.</summary>
    public long Length { get; private set; }

    /// <summary>The blocks staged or being staged, in order.</summary>
    public List<StagedBlock> Blocks { get; } = [];

    /// <summary>The bytes written and not staged yet.</summary>
    public ArraySegment<byte> Buffered => _buffer is null ? ArraySegment<byte>.Empty : new(_buffer, 0, _filled);

    /// <summary>A stream of <paramref name="bytes"/>, as a block or a blob is sent.</summary>
    public static MemoryStream Content(ArraySegment<byte> bytes) => new(bytes.Array ?? [], bytes.Offset, bytes.Count, writable: false);

    /// <summary>Adds <paramref name="data"/>, staging each block it fills.</summary>
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_buffer is null)
            {
                _blockBytes = _blockBytesAt(_blockStart);
                _buffer = _pool.Rent(_blockBytes);
            }

            var piece = data.Length > _blockBytes - _filled ? data.Slice(0, _blockBytes - _filled) : data;
            piece.CopyTo(_buffer.AsSpan(_filled));
            _filled += (int)piece.Length;
            Length += piece.Length;
            data = data.Slice(piece.End);
            if (_filled == _blockBytes)
            {
                await StageBufferAsync(pieces: 1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stages what is buffered, split into up to four blocks, and waits until every block is staged.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await StageBufferAsync(StagedBlocks.Pieces(_blockStart, _filled), cancellationToken).ConfigureAwait(false);
        }

        while (_staging.Count > 0)
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the blocks in flight, whatever each ends with (stored, failed, cancelled with its request), and returns
    /// every buffer: the caller saw the first failure, or gives the blocks up.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        while (_staging.TryDequeue(out var oldest))
        {
            await oldest.Staging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _pool.Return(oldest.Buffer);
        }

        if (_buffer is not null)
        {
            _pool.Return(_buffer);
            _buffer = null;
        }
    }

    // Sends the buffer as `pieces` blocks at once, once fewer than the in-flight limit are being sent; a block behind
    // one being confirmed is sent when that one succeeds. Blocks of more than 20 MiB (past 120 GiB) go one at a time,
    // so a writer never holds more than two buffers of 256 MiB.
    private async Task StageBufferAsync(int pieces, CancellationToken cancellationToken)
    {
        if (_staging.Count >= Math.Max(InFlightBytes / _blockBytes, 1))
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }

        var buffer = _buffer!;
        var size = _filled;
        var pieceBytes = (size + pieces - 1) / pieces;
        var sends = new List<Task>(pieces);
        _buffer = null;
        _filled = 0;
        try
        {
            for (var start = 0; start < size; start += pieceBytes)
            {
                var bytes = new ArraySegment<byte>(buffer, start, Math.Min(pieceBytes, size - start));
                var id = StagedBlocks.Id(_blockStart, _writer);
                Blocks.Add(new StagedBlock(id, bytes.Count));
                _blockStart += bytes.Count;
                if (_confirmFirst)
                {
                    _confirmFirst = false;
                    _confirming = _stage(id, bytes, cancellationToken);
                    sends.Add(_confirming);
                }
                else
                {
                    sends.Add(_confirming.IsCompletedSuccessfully ? _stage(id, bytes, cancellationToken) : StageWhenConfirmedAsync(id, bytes, cancellationToken));
                }
            }
        }
        finally
        {
            _staging.Enqueue((Task.WhenAll(sends), buffer));
        }
    }

    private async Task StageWhenConfirmedAsync(string id, ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        await _confirming.ConfigureAwait(false);
        await _stage(id, bytes, cancellationToken).ConfigureAwait(false);
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
            _pool.Return(buffer);
        }
    }
}
