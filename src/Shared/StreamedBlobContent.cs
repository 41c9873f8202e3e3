using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.ObjectStorage;

/// <summary>
/// An object in an object store read through HTTP range requests, for the object-store providers (this file is
/// compiled into each of them). A read at a new offset asks for exactly that range, so a ranged GET costs one request
/// whose response is read to its end (its connection is reused); the next read that continues where the last ended
/// opens one response for the rest of the object and every later sequential read streams from it, so a whole GET
/// costs two requests, not one per buffer. A read that arrives while another is in progress asks for its own range.
/// </summary>
/// <param name="length">The object's length.</param>
/// <param name="openRange">Opens the response body of the range [offset, offset + count) of the object.</param>
internal sealed class StreamedBlobContent(long length, Func<long, long, CancellationToken, Task<Stream>> openRange) : IBlobContent
{
    private readonly SemaphoreSlim _cursor = new(1, 1);
    private Stream? _stream;
    private long _streamPosition;
    private long _nextSequentialOffset = -1;

    /// <inheritdoc />
    public long Length => length;

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= length || buffer.IsEmpty)
        {
            return 0;
        }

        buffer = buffer[..(int)Math.Min(buffer.Length, length - offset)];
        if (!await _cursor.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return await ReadRangeAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (_stream is not null && _streamPosition == offset)
            {
                return await ReadFromStreamAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            await CloseStreamAsync().ConfigureAwait(false);
            if (offset == _nextSequentialOffset)
            {
                _stream = await openRange(offset, length - offset, cancellationToken).ConfigureAwait(false);
                _streamPosition = offset;
                return await ReadFromStreamAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            var read = await ReadRangeAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
            _nextSequentialOffset = offset + read;
            return read;
        }
        finally
        {
            _cursor.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseStreamAsync().ConfigureAwait(false);
        _cursor.Dispose();
    }

    private async Task<int> ReadRangeAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = await openRange(offset, buffer.Length, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return read == buffer.Length ? read : throw EndedEarly(offset + read);
        }
    }

    private async Task<int> ReadFromStreamAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await _stream!.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A read cut short (cancelled, connection lost) leaves the stream at an unknown position.
            await CloseStreamAsync().ConfigureAwait(false);
            throw;
        }

        _streamPosition += read;
        _nextSequentialOffset = _streamPosition;
        if (read < buffer.Length)
        {
            await CloseStreamAsync().ConfigureAwait(false);
            throw EndedEarly(_streamPosition);
        }

        if (_streamPosition == length)
        {
            await CloseStreamAsync().ConfigureAwait(false);
        }

        return read;
    }

    private async ValueTask CloseStreamAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;
        }
    }

    private IOException EndedEarly(long at) =>
        new($"The object store's response ended at byte {at} of an object of {length} bytes (was it deleted while being read?).");
}
