using System.Buffers;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// The bytes of a session's PATCHes on this instance, acknowledged before they are staged
/// (<see cref="AzureBlobStorageOptions.AcknowledgePatchesBeforeStaging"/>): kept across PATCHes, cut into blocks of a
/// blob written whole (<see cref="StagedBlocks.BlockBytes"/>) and staged in the background under the session's lease,
/// up to 40 MiB at once (five blocks of 8 MiB). What the PATCHes leave short of a block is staged once no PATCH has begun for
/// <see cref="IdleBefore"/>: a run of PATCHes goes to Azure in full blocks, and an idle session's bytes are all staged
/// a moment after its last PATCH.
/// </summary>
/// <remarks>
/// <para>A chunked client sends its next PATCH only after the last one's answer. Staging each PATCH before answering
/// sends 1 MiB PATCHes to Azure one at a time, which reached a third of the SDK's parallel upload on Azurite; the SDK
/// itself, sending 1 MiB blocks one after another, reached under half (benchmarks/RESULTS-OBJECT-STORAGE.md).</para>
/// <para>One writer at a time writes (<see cref="BeginPatch"/> to <see cref="EndPatch"/>); the background touches the
/// buffer only between them, under the lock. A block that fails is remembered: a write that fills a block then throws,
/// and <see cref="DrainAsync"/> answers null, so the session's blocks are read again and hold less than was
/// acknowledged.</para>
/// </remarks>
internal sealed class WriteBehindBlocks
{
    // At most 40 MiB in flight (five blocks of 8 MiB, as the SDK's own parallel upload sends), or one block once a block
    // alone is larger (past 234 GiB): a slot per MiB of a block.
    internal const int InFlightSlots = 40;
    private const int SlotBytes = 1024 * 1024;

    // A chunked client's next PATCH follows the last one's answer within a round trip: longer than this, and the session
    // is taken as idle. Waiting for it is what fills whole blocks from a run of small PATCHes
    // (RESULTS-OBJECT-STORAGE.md, fourteenth session).
    private static readonly TimeSpan IdleBefore = TimeSpan.FromMilliseconds(50);

    private readonly object _sync = new();
    private readonly BlockBlobClient _blob;
    private readonly BlobRequestConditions _leased;
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Shared;
    private readonly Guid _writer = Guid.NewGuid();
    private readonly ITimer _idleTimer;

    // The blocks staged or being staged, in upload order.
    private readonly List<StagedBlock> _blocks = [];

    // Slots for the blocks in flight (SlotsFor), taken all at once or not at all, so two takers never wait on each other
    // (a drain while a delete drains too): a writer that fills a block waits for its slots, the drain takes them all.
    private int _freeSlots = InFlightSlots;
    private TaskCompletionSource? _slotsFreed;
    private byte[]? _buffer;
    private int _filled;
    private long _blockStart;
    private bool _writing;
    private bool _idle;
    private Exception? _failure;

    /// <param name="blob">The session's staging blob.</param>
    /// <param name="lease">The lease every block is staged under.</param>
    /// <param name="offset">Where in the upload the first byte goes: the length the held blocks record.</param>
    /// <param name="time">The clock that times a session's idleness.</param>
    public WriteBehindBlocks(BlockBlobClient blob, BlobLeaseClient lease, long offset, TimeProvider time)
    {
        _idleTimer = time.CreateTimer(static state => ((WriteBehindBlocks)state!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _blob = blob;
        Lease = lease;
        _leased = new BlobRequestConditions { LeaseId = lease.LeaseId };
        _blockStart = offset;
        Length = offset;
    }

    /// <summary>The lease the blocks are staged under.</summary>
    public BlobLeaseClient Lease { get; }

    /// <summary>The session's length once every byte acknowledged here is staged.</summary>
    public long Length { get; private set; }

    /// <summary>Whether a block failed: what was acknowledged here is then not all stored.</summary>
    public bool HasFailed
    {
        get
        {
            lock (_sync)
            {
                return _failure is not null;
            }
        }
    }

    /// <summary>Whether some bytes acknowledged here are not staged yet (buffered, or in a block in flight).</summary>
    public bool IsStaging
    {
        get
        {
            lock (_sync)
            {
                return _filled > 0 || _freeSlots < InFlightSlots;
            }
        }
    }

    /// <summary>A writer starts writing: the background leaves the buffer to it until <see cref="EndPatch"/>.</summary>
    public void BeginPatch()
    {
        lock (_sync)
        {
            _writing = true;
            _idle = false;
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds <paramref name="data"/> after what was written, staging each block it fills.</summary>
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            _buffer ??= _pool.Rent(StagedBlocks.BlockBytes(_blockStart));
            var room = StagedBlocks.BlockBytes(_blockStart) - _filled;
            var piece = data.Length > room ? data.Slice(0, room) : data;
            piece.CopyTo(_buffer.AsSpan(_filled));
            _filled += (int)piece.Length;
            Length += piece.Length;
            data = data.Slice(piece.End);
            if (piece.Length == room)
            {
                var slots = SlotsFor(_blockStart);
                await AcquireAsync(slots, cancellationToken).ConfigureAwait(false);
                lock (_sync)
                {
                    if (_failure is not null)
                    {
                        Release(slots);
                        throw new IOException("a block of this upload could not be staged; the upload must start again", _failure);
                    }

                    StageBufferHolding(slots);
                }
            }
        }
    }

    /// <summary>The writer is done: what it left short of a block is staged unless another PATCH begins soon.</summary>
    public void EndPatch()
    {
        lock (_sync)
        {
            _writing = false;
            _idleTimer.Change(IdleBefore, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Stages what is left and waits for every block: the blocks, in order, once all are staged; null when one failed
    /// (the lease was lost, or Azure refused it), and then nothing acknowledged here can be counted on.
    /// </summary>
    public async Task<List<StagedBlock>?> DrainAsync()
    {
        var slots = SlotsFor(_blockStart);
        await AcquireAsync(slots, CancellationToken.None).ConfigureAwait(false);
        lock (_sync)
        {
            if (_filled > 0 && _failure is null)
            {
                StageBufferHolding(slots);
            }
            else
            {
                Release(slots);
            }
        }

        await AcquireAsync(InFlightSlots, CancellationToken.None).ConfigureAwait(false);
        lock (_sync)
        {
            Release(InFlightSlots);
        }

        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        lock (_sync)
        {
            if (_buffer is not null)
            {
                _pool.Return(_buffer);
                _buffer = null;
                _filled = 0;
            }

            return _failure is null ? _blocks : null;
        }
    }

    /// <summary>How many of the <see cref="InFlightSlots"/> the block starting at <paramref name="offset"/> takes.</summary>
    internal static int SlotsFor(long offset) => Math.Min((StagedBlocks.BlockBytes(offset) + SlotBytes - 1) / SlotBytes, InFlightSlots);

    private async Task AcquireAsync(int slots, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task freed;
            lock (_sync)
            {
                if (TryAcquire(slots))
                {
                    return;
                }

                freed = (_slotsFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await freed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Under the lock: takes the slots if all are free now.
    private bool TryAcquire(int slots)
    {
        if (_freeSlots < slots)
        {
            return false;
        }

        _freeSlots -= slots;
        return true;
    }

    // Under the lock.
    private void Release(int slots)
    {
        _freeSlots += slots;
        _slotsFreed?.TrySetResult();
        _slotsFreed = null;
    }

    private void OnIdle()
    {
        lock (_sync)
        {
            _idle = !_writing;
            StageTailIfIdle();
        }
    }

    // Under the lock: the short block left goes once the session is idle and its slots are free (else when a block ends).
    private void StageTailIfIdle()
    {
        if (_idle && !_writing && _filled > 0 && _failure is null && TryAcquire(SlotsFor(_blockStart)))
        {
            StageBufferHolding(SlotsFor(_blockStart));
        }
    }

    // Under the lock, holding the block's slots: sends the buffer as one block, in the background.
    private void StageBufferHolding(int slots)
    {
        var buffer = _buffer!;
        var bytes = new ArraySegment<byte>(buffer, 0, _filled);
        var id = StagedBlocks.Id(_blockStart, _writer);
        _blocks.Add(new StagedBlock(id, bytes.Count));
        _blockStart += bytes.Count;
        _buffer = null;
        _filled = 0;
        _ = StageAsync(id, bytes, slots);
    }

    private async Task StageAsync(string id, ArraySegment<byte> bytes, int slots)
    {
        Exception? failure = null;
        try
        {
            // Not cancelled with the request that wrote the bytes: they were acknowledged, and are staged all the same.
            await _blob.StageBlockAsync(id, BlockStager.Content(bytes), new BlockBlobStageBlockOptions { Conditions = _leased }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }

        _pool.Return(bytes.Array!);
        lock (_sync)
        {
            _failure ??= failure;
            Release(slots);
            StageTailIfIdle();
        }
    }
}
