using System.Buffers;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Operations;

public sealed class OffloadedWriteTests
{
    [Fact]
    public async Task EveryWrite_ReachesTheWriter_InOrder_OnAnotherThread_WithOneInstance()
    {
        var writer = new RecordingWriter();
        var offload = new OffloadedWrite();
        var caller = Environment.CurrentManagedThreadId;

        for (byte i = 0; i < 20; i++)
        {
            await offload.StartAsync(writer, new ReadOnlySequence<byte>([i, i]), CancellationToken.None);
        }

        Assert.Equal(Enumerable.Range(0, 20).SelectMany(i => new[] { (byte)i, (byte)i }), writer.Written);
        Assert.DoesNotContain(caller, writer.Threads);
    }

    [Fact]
    public async Task AWriterThatCompletesLater_IsAwaited()
    {
        var writer = new RecordingWriter { Delay = TimeSpan.FromMilliseconds(20) };
        var offload = new OffloadedWrite();

        await offload.StartAsync(writer, new ReadOnlySequence<byte>([1, 2, 3]), CancellationToken.None);
        await offload.StartAsync(writer, new ReadOnlySequence<byte>([4]), CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], writer.Written);
    }

    [Theory]
    [InlineData(FailureKind.Throws)]
    [InlineData(FailureKind.FaultedAtOnce)]
    [InlineData(FailureKind.FaultedLater)]
    public async Task AFailedWrite_FailsTheAwaitedTask_AndTheNextWriteStillWorks(FailureKind failure)
    {
        var writer = new RecordingWriter { Failure = failure };
        var offload = new OffloadedWrite();

        var error = await Assert.ThrowsAsync<IOException>(async () => await offload.StartAsync(writer, new ReadOnlySequence<byte>([9]), CancellationToken.None));
        writer.Failure = null;
        await offload.StartAsync(writer, new ReadOnlySequence<byte>([7]), CancellationToken.None);

        Assert.Equal("disk full", error.Message);
        Assert.Equal([7], writer.Written);
    }

    public enum FailureKind
    {
        Throws,
        FaultedAtOnce,
        FaultedLater,
    }

    private sealed class RecordingWriter : IUploadWriter
    {
        public List<byte> Written { get; } = [];

        public List<int> Threads { get; } = [];

        public TimeSpan Delay { get; init; }

        public FailureKind? Failure { get; set; }

        public long Length => Written.Count;

        public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            return Failure switch
            {
                FailureKind.Throws => throw new IOException("disk full"),
                FailureKind.FaultedAtOnce => ValueTask.FromException(new IOException("disk full")),
                FailureKind.FaultedLater => FailLaterAsync(),
                _ => Delay > TimeSpan.Zero ? WriteLaterAsync(data.ToArray()) : Write(data.ToArray()),
            };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private ValueTask Write(byte[] bytes)
        {
            Written.AddRange(bytes);
            return ValueTask.CompletedTask;
        }

        private async ValueTask WriteLaterAsync(byte[] bytes)
        {
            await Task.Delay(Delay);
            Written.AddRange(bytes);
        }

        private static async ValueTask FailLaterAsync()
        {
            await Task.Delay(10);
            throw new IOException("disk full");
        }
    }
}
