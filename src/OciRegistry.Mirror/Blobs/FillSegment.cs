using System.Buffers;
using System.IO.Pipelines;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// The next <paramref name="limit"/> bytes of a fill's upstream body, as the body of one append to its upload session:
/// it ends (IsCompleted) after that many bytes and leaves the rest in <paramref name="body"/> for the next segment.
/// Reports each consumed piece to <paramref name="onConsumed"/>: the upload operation consumes a piece only once it is
/// hashed and written, so readers may then read it wherever the store shows unrecorded bytes.
/// </summary>
internal sealed class FillSegment(PipeReader body, long limit, Action<long> onConsumed) : PipeReader
{
    private ReadOnlySequence<byte> _returned;
    private bool _holdsBody;
    private long _remaining = limit;

    /// <summary>True once all <c>limit</c> bytes were consumed; false when the body ended before.</summary>
    public bool IsFull => _remaining == 0;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        _remaining == 0 ? End() : Limit(await body.ReadAsync(cancellationToken).ConfigureAwait(false));

    public override bool TryRead(out ReadResult result)
    {
        if (_remaining == 0)
        {
            result = End();
            return true;
        }

        if (body.TryRead(out var read))
        {
            result = Limit(read);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_holdsBody)
        {
            return;
        }

        _holdsBody = false;
        var bytes = _returned.Slice(0, consumed).Length;
        _remaining -= bytes;
        body.AdvanceTo(consumed, examined);
        if (bytes > 0)
        {
            onConsumed(bytes);
        }
    }

    public override void CancelPendingRead() => body.CancelPendingRead();

    // The body belongs to the fill, which reads its next segment from it.
    public override void Complete(Exception? exception = null)
    {
    }

    private ReadResult End()
    {
        _holdsBody = false;
        return new ReadResult(default, isCanceled: false, isCompleted: true);
    }

    private ReadResult Limit(ReadResult read)
    {
        _holdsBody = true;
        var buffer = read.Buffer;
        var ends = read.IsCompleted;
        if (buffer.Length >= _remaining)
        {
            buffer = buffer.Slice(0, _remaining);
            ends = true;
        }

        _returned = buffer;
        return new ReadResult(buffer, read.IsCanceled, ends);
    }
}
