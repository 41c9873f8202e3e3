using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.S3;

/// <summary>Pieces read as one content: a read goes to the piece holding its offset and stops at that piece's end.</summary>
internal sealed class ConcatenatedContent : IBlobContent
{
    private readonly IBlobContent[] _pieces;
    private readonly long[] _starts;

    public ConcatenatedContent(IReadOnlyList<IBlobContent> pieces)
    {
        _pieces = [.. pieces];
        _starts = new long[_pieces.Length];
        var start = 0L;
        for (var i = 0; i < _pieces.Length; i++)
        {
            _starts[i] = start;
            start += _pieces[i].Length;
        }

        Length = start;
    }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length || buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        var index = Array.BinarySearch(_starts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        // Empty pieces share their start with the next one: skip to the one that holds the offset.
        while (_starts[index] + _pieces[index].Length <= offset)
        {
            index++;
        }

        var piece = _pieces[index];
        var within = offset - _starts[index];
        var count = (int)Math.Min(buffer.Length, piece.Length - within);
        return piece.ReadAsync(within, buffer[..count], cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var piece in _pieces)
        {
            await piece.DisposeAsync().ConfigureAwait(false);
        }
    }
}
