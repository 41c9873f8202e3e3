using System.Buffers;
using System.Collections.Concurrent;

namespace OciRegistry.AspNetCore.Transport;

/// <summary>
/// A memory pool of pinned blocks larger than Kestrel's 4 KiB ones, for servers whose requests are large streams.
/// Kestrel's socket transport receives into one pool block per <c>recv</c> call, so the block size sets how many
/// system calls, pipe flushes and TCP window updates a pushed gigabyte costs.
/// </summary>
/// <remarks>
/// Returned blocks are kept for reuse up to <see cref="RetainedBytes"/> in total; blocks returned beyond that, or after
/// the pool is disposed, are left to the garbage collector. A block returned twice is kept once.
/// </remarks>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>The most memory the pool keeps in returned blocks.</summary>
    public const int RetainedBytes = 64 * 1024 * 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;
    private readonly int _maxRetainedBlocks;
    private int _retainedBlocks;
    private volatile bool _disposed;

    public LargeBlockMemoryPool(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 4096);
        _blockSize = blockSize;
        _maxRetainedBlocks = Math.Max(1, RetainedBytes / blockSize);
    }

    /// <inheritdoc />
    public override int MaxBufferSize => _blockSize;

    /// <summary>Blocks returned and waiting to be rented again.</summary>
    public int RetainedBlocks => Volatile.Read(ref _retainedBlocks);

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, _blockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retainedBlocks);
        }
        else
        {
            block = new Block(this, _blockSize);
        }

        block.MarkRented();
        return block;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _retainedBlocks);
        }
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }

        if (Interlocked.Increment(ref _retainedBlocks) > _maxRetainedBlocks)
        {
            Interlocked.Decrement(ref _retainedBlocks);
            return;
        }

        _free.Enqueue(block);
    }

    private sealed class Block(LargeBlockMemoryPool pool, int size) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        private int _rented;

        public Memory<byte> Memory => _array;

        public void MarkRented() => Volatile.Write(ref _rented, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
