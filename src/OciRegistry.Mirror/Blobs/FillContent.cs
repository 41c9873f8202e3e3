using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// One client's view of a <see cref="BlobFill"/>: reads wait for the bytes they ask for, then come from the fill's upload
/// session as the store shows it (reopened as it grows), and from the stored blob once the fill committed it. A read
/// that starts more than <see cref="ForwardLead"/> bytes ahead of the fill (a client's <c>Range</c>, e.g. a resumed
/// download) is served by <paramref name="forward"/> from the upstream instead, so it does not wait for the whole
/// download to get there; the fill goes on and stores the blob as usual.
/// </summary>
/// <remarks>
/// The file and in-memory stores show a session's bytes as soon as they are written; object stores only those of closed
/// writers (the fill's recorded segments). A reopen that shows nothing new tells the two apart, so on an object store
/// the reader reopens once per segment, not at every written piece.
/// </remarks>
internal sealed class FillContent(BlobFill fill, Func<long, CancellationToken, Task<UpstreamRange?>>? forward = null) : IBlobContent
{
    /// <summary>How far ahead of the fill a read may start and still be served from it (a few dozen 1 MiB reads of the fill).</summary>
    public const long ForwardLead = 16 * 1024 * 1024;

    private UpstreamRange? _forwarded;
    private IBlobContent? _source;
    private bool _sourceIsStored;
    private bool _storeShowsOnlyRecorded;
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

        if (offset >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var changed = fill.Changed;
            if (fill.IsStored)
            {
                return await ReadStoredAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
            }

            if (fill.Failure is { } failure)
            {
                throw new IOException($"The upstream fetch of {fill.Digest} failed: {failure.Message}", failure);
            }

            var readable = fill.Readable;
            if (offset < readable && await SessionShowsAsync(offset, cancellationToken).ConfigureAwait(false))
            {
                var end = Math.Min(readable, _source!.Length);
                var read = await TryReadSessionAsync(offset, buffer[..(int)Math.Min(buffer.Length, end - offset)], cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    return read;
                }

                // The session ended under this reader (committed, or discarded): the fill's outcome decides what follows.
                await fill.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await CloseForwardedAsync().ConfigureAwait(false);
            await ReplaceSourceAsync(null).ConfigureAwait(false);
        }
    }

    // True when the session as last opened holds the byte at offset, reopening it when that may show more.
    private async ValueTask<bool> SessionShowsAsync(long offset, CancellationToken cancellationToken)
    {
        if (_source is { } current && (offset < current.Length || (_storeShowsOnlyRecorded && fill.Recorded <= current.Length)))
        {
            return offset < current.Length;
        }

        var reopened = await fill.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await ReplaceSourceAsync(reopened).ConfigureAwait(false);
        if (reopened is null)
        {
            await fill.Completion.WaitAsync(cancellationToken).ConfigureAwait(false); // the session has ended: see ReadAsync
            return false;
        }

        _storeShowsOnlyRecorded |= offset >= reopened.Length;
        return offset < reopened.Length;
    }

    // 0 when the session's bytes are gone: a commit or a discard ended it (the file store truncates a discarded one; an
    // object store deletes the staging object once it copied it under the digest).
    private async ValueTask<int> TryReadSessionAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _source!.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    private async ValueTask<int> ReadStoredAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!_sourceIsStored)
        {
            var stored = await fill.OpenStoredAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException($"The blob {fill.Digest} fetched from upstream was deleted before it was served.");
            await ReplaceSourceAsync(stored).ConfigureAwait(false);
            _sourceIsStored = true;
        }

        return await _source!.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReplaceSourceAsync(IBlobContent? source)
    {
        if (_source is { } previous)
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        _source = source;
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
