using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace OciRegistry.AspNetCore.Transport;

/// <summary>Creates the <see cref="LargeBlockMemoryPool"/>s Kestrel's transports take from dependency injection.</summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockSize) : IMemoryPoolFactory<byte>
{
    /// <summary>The block size of the pools created.</summary>
    public int BlockSize => blockSize;

    /// <summary>How many pools were created: one per transport Kestrel starts.</summary>
    public int PoolsCreated => Volatile.Read(ref _poolsCreated);

    private int _poolsCreated;

    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        Interlocked.Increment(ref _poolsCreated);
        return new LargeBlockMemoryPool(blockSize);
    }
}
