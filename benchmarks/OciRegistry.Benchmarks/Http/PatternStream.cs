namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// A read-only, seekable stream of <c>length</c> bytes of a fixed 1 MiB pattern, starting <c>start</c> bytes into the
/// pattern's endless repetition: a blob of any size (or any chunk of it) without holding it in memory. Reads copy
/// from the shared pattern and allocate nothing, so allocations measured around a push are the registry's and the
/// HTTP client's.
/// </summary>
internal sealed class PatternStream(long start, long length) : Stream
{
    private const int PatternBytes = 1024 * 1024;
    private static readonly byte[] Pattern = CreatePattern();
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < length)
        {
            var patternOffset = (int)((start + _position) % PatternBytes);
            var count = (int)Math.Min(Math.Min(buffer.Length - total, PatternBytes - patternOffset), length - _position);
            Pattern.AsSpan(patternOffset, count).CopyTo(buffer[total..]);
            total += count;
            _position += count;
        }

        return total;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] CreatePattern()
    {
        var pattern = new byte[PatternBytes];
        new Random(20251125).NextBytes(pattern);
        return pattern;
    }
}
