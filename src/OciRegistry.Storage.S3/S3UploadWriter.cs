using System.Buffers;
using Amazon.S3.Model;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// Appends to a session after its claim: bytes are gathered into pooled 16 MiB parts, each sent as a part of the
/// writer's piece (a multipart upload, one part in flight while the next fills) and the piece completed every 4,096
/// parts; closing completes the last piece (or sends a short writer's bytes as one object) and writes the session's
/// next state, unless a later claim took it, in which case the writer's pieces are deleted and its bytes never count.
/// </summary>
/// <remarks>
/// The small trailing pieces of earlier writers (together under 5 MiB) are read back and sent at the start of this
/// writer's piece once there are 5 MiB or more to send, so a multipart upload's parts all reach S3's minimum.
/// </remarks>
internal sealed class S3UploadWriter : IUploadWriter
{
    private readonly S3UploadStore _store;
    private readonly string _id;
    private readonly long _claim;
    private readonly S3UploadState _opened;
    private readonly List<S3Piece> _pieces;
    private readonly List<S3Piece> _smalls;
    private readonly List<string> _written = [];
    private readonly bool _cut;
    private bool _disposed;

    private byte[]? _buffer;
    private int _filled;

    private string? _pieceKey;
    private string? _multipartId;
    private long _pieceLength;
    private readonly List<PartETag> _parts = [];
    private Task<UploadPartResponse>? _sending;
    private byte[]? _sendingBuffer;

    public S3UploadWriter(S3UploadStore store, string id, long claim, S3UploadState opened, long offset)
    {
        _store = store;
        _id = id;
        _claim = claim;
        _opened = opened;
        (_pieces, _cut) = Cut(opened.Pieces, offset);
        var trailing = _pieces.Count;
        while (trailing > 0 && _pieces[trailing - 1].Length < S3Parts.MinPartBytes)
        {
            trailing--;
        }

        _smalls = _pieces[trailing..];
        _pieces.RemoveRange(trailing, _pieces.Count - trailing);
        Length = offset;
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
            Return(ref _sendingBuffer);
            _store.Release(_id);
        }
    }

    private async Task CloseAsync()
    {
        if (_multipartId is not null)
        {
            if (_filled > 0)
            {
                await SendPartAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await CompletePieceAsync().ConfigureAwait(false);
        }
        else if (_filled > 0)
        {
            await PutSmallWriteAsync().ConfigureAwait(false);
        }

        if (!_cut && _written.Count == 0)
        {
            return;
        }

        var state = _opened with { Pieces = [.. _pieces, .. _smalls] };
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

    // A writer that never filled a part: its bytes, with the small trailing pieces when together they reach S3's
    // minimum part, go into one object.
    private async Task PutSmallWriteAsync()
    {
        var absorb = SmallsLength + _filled >= S3Parts.MinPartBytes;
        var bytes = absorb ? await _store.ReadPiecesAsync(_smalls, _filled, CancellationToken.None).ConfigureAwait(false) : null;
        var key = S3Names.NewPiece(_id);
        _written.Add(key);
        var content = bytes is null
            ? new MemoryStream(_buffer!, 0, _filled, writable: false)
            : new MemoryStream(bytes, writable: false);
        if (bytes is not null)
        {
            _buffer.AsSpan(0, _filled).CopyTo(bytes.AsSpan(bytes.Length - _filled));
        }

        var piece = new S3Piece(key, content.Length, Whole: true);
        await _store.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = _store.Bucket, Key = key, InputStream = content, AutoCloseStream = true },
            CancellationToken.None).ConfigureAwait(false);
        if (absorb)
        {
            _smalls.Clear();
            _pieces.Add(piece);
        }
        else
        {
            _smalls.Add(piece);
        }
    }

    // One part in flight while the next fills. The first part of a piece carries the small trailing pieces first.
    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        await FinishSendingAsync().ConfigureAwait(false);
        byte[] part;
        int partLength;
        if (_multipartId is null)
        {
            _pieceKey = S3Names.NewPiece(_id);
            _written.Add(_pieceKey);
            _multipartId = (await _store.Client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _store.Bucket, Key = _pieceKey }, cancellationToken).ConfigureAwait(false)).UploadId;
            if (_smalls.Count > 0)
            {
                part = await _store.ReadPiecesAsync(_smalls, _filled, cancellationToken).ConfigureAwait(false);
                _buffer.AsSpan(0, _filled).CopyTo(part.AsSpan(part.Length - _filled));
                partLength = part.Length;
                _smalls.Clear();
                Return(ref _buffer); // copied; the part is an array of its own, not the pool's
            }
            else
            {
                (part, partLength, _buffer, _sendingBuffer) = (_buffer!, _filled, null, _buffer);
            }
        }
        else
        {
            (part, partLength, _buffer, _sendingBuffer) = (_buffer!, _filled, null, _buffer);
        }

        _filled = 0;
        var partNumber = _parts.Count + 1;
        _parts.Add(new PartETag(partNumber, string.Empty));
        _sending = _store.Client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = _store.Bucket,
                Key = _pieceKey,
                UploadId = _multipartId,
                PartNumber = partNumber,
                InputStream = new MemoryStream(part, 0, partLength, writable: false),
            },
            cancellationToken);
        _pieceLength += partLength;
        if (_parts.Count == S3Parts.PartsPerPiece)
        {
            await CompletePieceAsync().ConfigureAwait(false);
        }
    }

    private async Task CompletePieceAsync()
    {
        await FinishSendingAsync().ConfigureAwait(false);
        var request = new CompleteMultipartUploadRequest { BucketName = _store.Bucket, Key = _pieceKey, UploadId = _multipartId, PartETags = [.. _parts] };
        await _store.Client.CompleteMultipartUploadAsync(request, CancellationToken.None).ConfigureAwait(false);
        _pieces.Add(new S3Piece(_pieceKey!, _pieceLength, Whole: true));
        (_pieceKey, _multipartId, _pieceLength) = (null, null, 0);
        _parts.Clear();
    }

    private async Task FinishSendingAsync()
    {
        if (_sending is null)
        {
            return;
        }

        try
        {
            var sent = await _sending.ConfigureAwait(false);
            _parts[^1] = new PartETag(_parts.Count, sent.ETag);
        }
        finally
        {
            _sending = null;
            Return(ref _sendingBuffer);
        }
    }

    // The writer's own objects go: a piece it wrote (complete or not) is in no state that counts.
    private async Task DiscardAsync()
    {
        try
        {
            await FinishSendingAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The part's failure is the caller's error already; what matters here is removing what was sent.
        }

        if (_multipartId is not null)
        {
            await _store.AbortAsync(_pieceKey!, _multipartId).ConfigureAwait(false);
            _multipartId = null;
        }

        foreach (var key in _written)
        {
            await _store.DeleteObjectAsync(key).ConfigureAwait(false);
        }
    }

    /// <summary>The pieces holding the first <paramref name="offset"/> bytes; the one the offset cuts counts only its first part.</summary>
    private static (List<S3Piece> Pieces, bool Cut) Cut(IReadOnlyList<S3Piece> pieces, long offset)
    {
        var kept = new List<S3Piece>();
        var length = 0L;
        foreach (var piece in pieces)
        {
            if (length + piece.Length <= offset)
            {
                kept.Add(piece);
                length += piece.Length;
                continue;
            }

            if (offset > length)
            {
                kept.Add(piece with { Length = offset - length, Whole = false });
            }

            return (kept, true);
        }

        return (kept, false);
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
