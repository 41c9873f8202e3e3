using System.Buffers;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

public sealed class BlockStagerTests
{
    // Two full blocks go out at once; the first is cancelled with its request, the second is still being sent.
    [Fact]
    public async Task Dispose_WaitsForEveryBlockInFlight_WhateverItEndsWith_AndReturnsEveryBuffer()
    {
        var pool = new CountingPool();
        var second = new TaskCompletionSource();
        var sent = 0;
        var stager = new BlockStager(
            0,
            (_, _, _) => Interlocked.Increment(ref sent) == 1 ? Task.FromCanceled(new CancellationToken(canceled: true)) : second.Task,
            pool: pool);
        await stager.WriteAsync(new ReadOnlySequence<byte>(new byte[2 * StagedBlocks.BlockBytes(0) + 10]), CancellationToken.None);
        Assert.Equal(2, sent);

        var disposing = stager.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);

        second.SetException(new IOException("the connection was reset"));
        await disposing;
        Assert.Equal(3, pool.Rented);
        Assert.Equal(0, pool.Outstanding);
    }

    private sealed class CountingPool : ArrayPool<byte>
    {
        private int _rented;
        private int _outstanding;

        public int Rented => _rented;

        public int Outstanding => _outstanding;

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _rented);
            Interlocked.Increment(ref _outstanding);
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Interlocked.Decrement(ref _outstanding);
    }
}
