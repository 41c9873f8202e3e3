using System.Buffers;
using Amazon.S3.Model;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// Appends to a session after its claim: bytes are gathered into pooled 16 MiB parts, each sent as a part of the
/// session's unfinished piece (the one this instance's previous writer left, else a new multipart upload), up to
/// <see cref="PartsInFlight"/> parts sent at once while the next fills, and the piece completed every 4,096 parts. Closing
/// sends what is left (as a last part when, with the small trailing pieces, it reaches 5 MiB, else as a small piece of its
/// own) and writes the session's next state with the piece still unfinished, unless a later claim took it, in which case
/// the writer's own objects are removed and its bytes never count.
/// </summary>
/// <remarks>
/// The small trailing pieces of earlier writers (together under 5 MiB) are read back and sent at the start of this
/// writer's first part once there are 5 MiB or more to send, so every part reaches S3's minimum.
/// </remarks>
internal sealed class S3UploadWriter : IUploadWriter
{
    /// <summary>Parts being sent at once; with the one filling, a writer holds at most three parts of memory.</summary>
    private const int PartsInFlight = 2;

    private readonly S3UploadStore _store;
    private readonly string _id;
    private readonly long _claim;
    private readonly S3UploadState _opened;
    private readonly List<S3Piece> _pieces;
    private readonly List<S3Piece> _smalls;
    private readonly List<string> _written = [];
    private readonly bool _changed;
    private readonly long _offset;
    private readonly Queue<(Task<S3Part> Sending, byte[]? Buffer)> _sending = new();
    private bool _disposed;

    private byte[]? _buffer;
    private int _filled;

    // The unfinished piece parts go to; _initiated when this writer started it (so no state records it yet).
    private string? _pieceKey;
    private string? _multipartId;
    private bool _initiated;
    private readonly List<S3Part> _parts = [];

    public S3UploadWriter(S3UploadStore store, string id, long claim, S3UploadState opened, long offset, S3WriterStart start)
    {
        _store = store;
        _id = id;
        _claim = claim;
        _opened = opened;
        _pieces = start.Pieces;
        _smalls = start.Smalls;
        _changed = start.Changed;
        if (start.Continued is { Unfinished: { } unfinished } continued)
        {
            (_pieceKey, _multipartId) = (continued.Key, unfinished.UploadId);
            _parts.AddRange(unfinished.Parts);
        }

        (_offset, Length) = (offset, offset);
    }

    /// <inheritdoc />
    public long Length { get; private set; }

    private long SmallsLength => _smalls.Sum(piece => piece.Length);

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!data.IsEmpty)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(S3Parts.WriterPartBytes);
            var piece = data.Length > S3Parts.WriterPartBytes - _filled ? data.Slice(0, S3Parts.WriterPartBytes - _filled) : data;
            piece.CopyTo(_buffer.AsSpan(_filled));
            _filled += (int)piece.Length;
            Length += piece.Length;
            data = data.Slice(piece.End);
            if (_filled == S3Parts.WriterPartBytes)
            {
                await SendPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends what is left, writes the next state (unless fenced) and releases the session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var recorded = false;
        try
        {
            await CloseAsync().ConfigureAwait(false);
            recorded = true;
        }
        finally
        {
            if (!recorded)
            {
                await DiscardAsync().ConfigureAwait(false);
            }

            Return(ref _buffer);
            _store.Release(_id);
        }
    }

    private async Task CloseAsync()
    {
        if (_filled > 0 && SmallsLength + _filled >= S3Parts.MinPartBytes)
        {
            await SendPartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else if (_filled > 0)
        {
            await PutSmallPieceAsync().ConfigureAwait(false);
        }

        await FinishSendingAsync(0).ConfigureAwait(false);
        if (!_changed && Length == _offset)
        {
            return;
        }

        S3Piece[] open = _multipartId is null ? [] : [_store.Unfinished(_pieceKey!, _multipartId, [.. _parts])];
        var state = _opened with { Pieces = [.. _pieces, .. open, .. _smalls] };
        if (await _store.TryPutStateAsync(_id, _claim + 1, state, CancellationToken.None).ConfigureAwait(false))
        {
            _store.Remember(_id, _claim + 1, state);
        }
        else
        {
            // A later writer or a commit claimed the session: these bytes do not count.
            await DiscardAsync().ConfigureAwait(false);
        }
    }

    // Bytes that with the small trailing pieces stay under S3's minimum part: an object of their own.
    private async Task PutSmallPieceAsync()
    {
        var key = S3Names.NewPiece(_id);
        _written.Add(key);
        await _store.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = _store.Bucket, Key = key, InputStream = new MemoryStream(_buffer!, 0, _filled, writable: false), AutoCloseStream = true },
            CancellationToken.None).ConfigureAwait(false);
        _smalls.Add(new S3Piece(key, _filled, Whole: true));
        _filled = 0;
    }

    // Sends the filled buffer as the unfinished piece's next part, the small trailing pieces first when there are any.
    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        await FinishSendingAsync(PartsInFlight - 1).ConfigureAwait(false);
        if (_multipartId is null)
        {
            _pieceKey = S3Names.NewPiece(_id);
            _written.Add(_pieceKey);
            _multipartId = (await _store.Client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _store.Bucket, Key = _pieceKey }, cancellationToken).ConfigureAwait(false)).UploadId;
            _initiated = true;
        }

        byte[] part;
        byte[]? pooled;
        if (_smalls.Count > 0)
        {
            part = await _store.ReadPiecesAsync(_smalls, _filled, cancellationToken).ConfigureAwait(false);
            _buffer.AsSpan(0, _filled).CopyTo(part.AsSpan(part.Length - _filled));
            _smalls.Clear();
            pooled = null; // copied; the part is an array of its own, and the pool's buffer fills the next part
        }
        else
        {
            (part, pooled, _buffer) = (_buffer!, _buffer, null);
        }

        var length = pooled is null ? part.Length : _filled;
        var number = _parts.Count == 0 ? 1 : _parts[^1].Number + 1;
        _filled = 0;
        _parts.Add(new S3Part(number, string.Empty, length)); // its ETag when sent
        _sending.Enqueue((_store.SendPartAsync(_pieceKey!, _multipartId, number, part, length, cancellationToken), pooled));
        if (_parts.Count == S3Parts.PartsPerPiece)
        {
            await FinishSendingAsync(0).ConfigureAwait(false);
            _pieces.Add(await _store.SealAsync(_store.Unfinished(_pieceKey!, _multipartId, [.. _parts]), CancellationToken.None).ConfigureAwait(false));
            (_pieceKey, _multipartId, _initiated) = (null, null, false);
            _parts.Clear();
        }
    }

    // Waits until at most `left` parts are being sent, recording each sent part's ETag.
    private async Task FinishSendingAsync(int left)
    {
        while (_sending.Count > left)
        {
            var (sending, buffer) = _sending.Dequeue();
            try
            {
                var sent = await sending.ConfigureAwait(false);
                _parts[_parts.FindIndex(part => part.Number == sent.Number)] = sent;
            }
            finally
            {
                Return(ref buffer);
            }
        }
    }

    // The writer's own objects go: what it sent is in no state that counts. Parts it added to an unfinished piece a
    // state records stay (the next sealer completes them after the recorded ones, which are the only ones counted).
    private async Task DiscardAsync()
    {
        while (_sending.Count > 0)
        {
            try
            {
                await FinishSendingAsync(_sending.Count - 1).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The part's failure is the caller's error already; what matters here is removing what was sent.
            }
        }

        if (_initiated)
        {
            await _store.AbortAsync(_pieceKey!, _multipartId!).ConfigureAwait(false);
            _initiated = false;
        }

        foreach (var key in _written)
        {
            await _store.DeleteObjectAsync(key).ConfigureAwait(false);
        }
    }

    private static void Return(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}
