using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// One client's view of a <see cref="BlobFill"/>: reads wait for the bytes they ask for, then come from the spool. A
/// read that starts more than <see cref="ForwardLead"/> bytes ahead of the fill (a client's <c>Range</c>, e.g. a resumed
/// download) is served by <paramref name="forward"/> from the upstream instead, so it does not wait for the whole
/// download to get there; the fill goes on and stores the blob as usual.
/// </summary>
internal sealed class FillContent(BlobFill fill, Func<long, CancellationToken, Task<UpstreamRange?>>? forward = null) : IBlobContent
{
    /// <summary>How far ahead of the fill a read may start and still be served from it (a few dozen 1 MiB reads of the fill).</summary>
    public const long ForwardLead = 16 * 1024 * 1024;

    private UpstreamRange? _forwarded;
    private int _disposed;

    public long Length => fill.Length;

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_forwarded is { } forwarded && forwarded.Position == offset)
        {
            return await forwarded.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (forward is not null && offset > fill.Written + ForwardLead && await forward(offset, cancellationToken).ConfigureAwait(false) is { } opened)
        {
            await CloseForwardedAsync().ConfigureAwait(false);
            _forwarded = opened;
            return await opened.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        var readable = await fill.WaitForAsync(offset, cancellationToken).ConfigureAwait(false);
        if (offset >= readable)
        {
            return 0;
        }

        return await fill.ReadAsync(offset, buffer[..(int)Math.Min(buffer.Length, readable - offset)], cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await CloseForwardedAsync().ConfigureAwait(false);
            fill.Release();
        }
    }

    private async ValueTask CloseForwardedAsync()
    {
        if (_forwarded is { } forwarded)
        {
            _forwarded = null;
            await forwarded.DisposeAsync().ConfigureAwait(false);
        }
    }
}
