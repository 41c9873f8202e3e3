using System.Buffers;
using Azure;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

public sealed class BlockStagerTests
{
    private const int BlockBytes = 1024;

    // A PATCH on a lease kept from an earlier one confirms it with its first block: the bytes behind that block are
    // buffered while it is staged (the reading does not stop), and sent only once it succeeds.
    [Fact]
    public async Task ABlockBehindOneBeingConfirmed_IsBuffered_AndSentOnlyOnceTheFirstIsStaged()
    {
        var first = new TaskCompletionSource();
        var staged = new List<(string Id, byte[] Bytes)>();
        var stager = new BlockStager(0, Stage, confirmFirst: true, _ => BlockBytes);
        var bytes = Enumerable.Range(0, 3 * BlockBytes).Select(i => (byte)i).ToArray();

        var writing = stager.WriteAsync(new ReadOnlySequence<byte>(bytes), CancellationToken.None);

        Assert.True(writing.IsCompletedSuccessfully);
        Assert.Single(staged);
        first.SetResult();
        await stager.FlushAsync(CancellationToken.None);
        await stager.DisposeAsync();

        // The blocks behind the first may go in any order, as blocks sent at once do.
        var inOrder = staged.OrderBy(block => Offset(block.Id)).ToList();
        Assert.Equal(staged[0], inOrder[0]);
        Assert.Equal(stager.Blocks.Select(block => block.Id), inOrder.Select(block => block.Id));
        Assert.Equal(bytes, inOrder.SelectMany(block => block.Bytes));
        Assert.Equal([0L, BlockBytes, 2L * BlockBytes], inOrder.Select(block => Offset(block.Id)));

        Task Stage(string id, ArraySegment<byte> segment, CancellationToken cancellationToken)
        {
            lock (staged)
            {
                staged.Add((id, segment.ToArray()));
            }

            return staged.Count == 1 ? first.Task : Task.CompletedTask;
        }
    }

    [Fact]
    public async Task WhenTheFirstBlockFails_NoBlockBehindItIsSent_AndTheFlushFails()
    {
        var first = new TaskCompletionSource();
        var sent = 0;
        var stager = new BlockStager(0, Stage, confirmFirst: true, _ => BlockBytes);

        await stager.WriteAsync(new ReadOnlySequence<byte>(new byte[3 * BlockBytes]), CancellationToken.None);
        first.SetException(new RequestFailedException(412, "lease lost"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => stager.FlushAsync(CancellationToken.None));
        await stager.DisposeAsync();
        Assert.Equal(412, failure.Status);
        Assert.Equal(1, sent);

        Task Stage(string id, ArraySegment<byte> segment, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref sent) == 1 ? first.Task : Task.CompletedTask;
    }

    [Fact]
    public async Task WithoutConfirmation_FullBlocksAreSentAsTheyFill()
    {
        var pending = new TaskCompletionSource();
        var sent = 0;
        var stager = new BlockStager(0, Stage, blockBytesAt: _ => BlockBytes);

        await stager.WriteAsync(new ReadOnlySequence<byte>(new byte[3 * BlockBytes]), CancellationToken.None);

        Assert.Equal(3, sent);
        pending.SetResult();
        await stager.FlushAsync(CancellationToken.None);
        await stager.DisposeAsync();

        Task Stage(string id, ArraySegment<byte> segment, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sent);
            return pending.Task;
        }
    }

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

    private static long Offset(string id) => StagedBlocks.TryParseOffset(id, out var offset) ? offset : -1;

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
