using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>Immutable content held as a list of arrays, read at any offset without joining them.</summary>
internal sealed class ChunkedContent : IBlobContent
{
    private readonly byte[][] _chunks;
    private readonly long[] _starts;

    /// <summary>Wraps <paramref name="chunks"/>, which nobody may modify afterwards.</summary>
    public ChunkedContent(IReadOnlyList<byte[]> chunks)
    {
        _chunks = [.. chunks];
        _starts = new long[_chunks.Length];
        long length = 0;
        for (var i = 0; i < _chunks.Length; i++)
        {
            _starts[i] = length;
            length += _chunks[i].Length;
        }

        Length = length;
    }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        if (offset >= Length || buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        var index = Array.BinarySearch(_starts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        var written = 0;
        var destination = buffer.Span;
        var chunkOffset = (int)(offset - _starts[index]);
        while (written < destination.Length && index < _chunks.Length)
        {
            var source = _chunks[index].AsSpan(chunkOffset);
            var count = Math.Min(source.Length, destination.Length - written);
            source[..count].CopyTo(destination[written..]);
            written += count;
            chunkOffset = 0;
            index++;
        }

        return ValueTask.FromResult(written);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
