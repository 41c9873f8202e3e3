using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Blobs;

/// <summary>One client's view of a <see cref="BlobFill"/>: reads wait for the bytes they ask for, then come from the spool.</summary>
internal sealed class FillContent(BlobFill fill) : IBlobContent
{
    private int _disposed;

    public long Length => fill.Length;

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var readable = await fill.WaitForAsync(offset, cancellationToken).ConfigureAwait(false);
        if (offset >= readable)
        {
            return 0;
        }

        return await fill.ReadAsync(offset, buffer[..(int)Math.Min(buffer.Length, readable - offset)], cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            fill.Release();
        }

        return ValueTask.CompletedTask;
    }
}
