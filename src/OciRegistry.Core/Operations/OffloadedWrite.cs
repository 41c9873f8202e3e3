using System.Buffers;
using System.Threading.Tasks.Sources;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Operations;

/// <summary>
/// Runs an upload writer's write on a thread-pool thread, so the request's thread hashes the same bytes meanwhile.
/// One instance serves every slice of one request body: starting a write allocates nothing.
/// </summary>
/// <remarks>The caller must await each write before starting the next one, and keep the written bytes alive until then.</remarks>
internal sealed class OffloadedWrite : IThreadPoolWorkItem, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _completion;
    private IUploadWriter? _writer;
    private ReadOnlySequence<byte> _data;
    private CancellationToken _cancellationToken;

    /// <summary>Queues the write of <paramref name="data"/>; the returned task completes when it is written.</summary>
    public ValueTask StartAsync(IUploadWriter writer, ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        _completion.Reset();
        _writer = writer;
        _data = data;
        _cancellationToken = cancellationToken;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask(this, _completion.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        ValueTask pending;
        try
        {
            pending = _writer!.WriteAsync(_data, _cancellationToken);
        }
        catch (Exception exception)
        {
            Finish(exception);
            return;
        }

        if (pending.IsCompleted)
        {
            Finish(pending);
        }
        else
        {
            _ = FinishWhenWrittenAsync(pending);
        }
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private async Task FinishWhenWrittenAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Finish(exception);
            return;
        }

        Finish(exception: null);
    }

    private void Finish(ValueTask completed)
    {
        try
        {
            completed.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            Finish(exception);
            return;
        }

        Finish(exception: null);
    }

    private void Finish(Exception? exception)
    {
        _writer = null;
        _data = default;
        if (exception is null)
        {
            _completion.SetResult(true);
        }
        else
        {
            _completion.SetException(exception);
        }
    }
}
