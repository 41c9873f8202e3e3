using System.Buffers;
using Amazon.S3.Model;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// Appends to a session after its claim (which may still be on its way while the first part fills: the writer sends
/// nothing before it is written): bytes are gathered into pooled 8 MiB parts, each sent as a part of the
/// session's unfinished piece (the one this instance's previous writer left, else a new multipart upload) while the next
/// fills (<see cref="S3PartQueue"/>), and the piece completed every 4,096 parts. Closing sends what is left (as a last
/// part when, with the small trailing pieces, it reaches 5 MiB, else as a small piece of its own) and writes the
/// session's next state with the piece still unfinished, unless a later claim took it, in which case the writer's own
/// objects are removed and its bytes never count.
/// </summary>
/// <remarks>
/// The small trailing pieces of earlier writers (together under 5 MiB) are read back and sent at the start of this
/// writer's first part once there are 5 MiB or more to send, so every part reaches S3's minimum.
/// </remarks>
internal sealed class S3UploadWriter : IUploadWriter
{
    private readonly S3UploadStore _store;
    private readonly string _id;
    private readonly Task<S3WriterOpening> _opening;
    private readonly List<string> _written = [];
    private readonly long _offset;
    private readonly S3PartQueue _parts;
    private S3WriterOpening? _opened;
    private bool _disposed;

    /// <param name="store">The store whose session this writer appends to.</param>
    /// <param name="id">The session.</param>
    /// <param name="offset">Where the writer's bytes start.</param>
    /// <param name="opening">The writer's claim, which may still be on its way: the writer waits for it before it sends
    /// a part or records anything, so the bytes it gathers meanwhile go nowhere.</param>
    public S3UploadWriter(S3UploadStore store, string id, long offset, Task<S3WriterOpening> opening)
    {
        _store = store;
        _id = id;
        _opening = opening;
        _parts = new S3PartQueue(store, S3Parts.UploadPartBytes);
        (_offset, Length) = (offset, offset);
    }

    /// <inheritdoc />
    public long Length { get; private set; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Length += data.Length;
        await _parts.FillAsync(data, SendPartAsync, cancellationToken).ConfigureAwait(false);
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

            _parts.ReleaseFilling();
            _store.Release(_id);
        }
    }

    // The claim written, the pieces the writer starts from and the unfinished piece it goes on adding parts to.
    private async Task<S3WriterOpening> OpenedAsync()
    {
        if (_opened is null)
        {
            var opened = await _opening.ConfigureAwait(false);
            if (opened.Start.Continued is { Unfinished: { } unfinished } continued)
            {
                _parts.Continue(continued.Key, unfinished);
            }

            _opened = opened;
        }

        return _opened;
    }

    private async Task CloseAsync()
    {
        var (claim, opened, start) = await OpenedAsync().ConfigureAwait(false);
        if (_parts.Filled > 0 && start.Smalls.Sum(piece => piece.Length) + _parts.Filled >= S3Parts.MinPartBytes)
        {
            await SendPartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else if (_parts.Filled > 0)
        {
            await PutSmallPieceAsync(start.Smalls).ConfigureAwait(false);
        }

        await _parts.FinishAsync().ConfigureAwait(false);
        if (!start.Changed && Length == _offset)
        {
            return;
        }

        S3Piece[] open = _parts.UploadId is null ? [] : [_parts.Unfinished()];
        var state = opened with { Pieces = [.. start.Pieces, .. open, .. start.Smalls] };
        if (await _store.TryPutStateAsync(_id, claim + 1, state, CancellationToken.None).ConfigureAwait(false))
        {
            _store.Remember(_id, claim + 1, state);
        }
        else
        {
            // A later writer or a commit claimed the session: these bytes do not count.
            await DiscardAsync().ConfigureAwait(false);
        }
    }

    // Bytes that with the small trailing pieces stay under S3's minimum part: an object of their own.
    private async Task PutSmallPieceAsync(List<S3Piece> smalls)
    {
        var key = S3Names.NewPiece(_id);
        _written.Add(key);
        var length = _parts.Filled;
        await _store.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = _store.Bucket, Key = key, InputStream = _parts.OpenFilled(), AutoCloseStream = true },
            CancellationToken.None).ConfigureAwait(false);
        smalls.Add(new S3Piece(key, length, Whole: true));
        _parts.ReleaseFilling();
    }

    // Sends the filled buffer as the unfinished piece's next part, the small trailing pieces first when there are any.
    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        var (pieces, _, smalls, _) = (await OpenedAsync().ConfigureAwait(false)).Start;
        if (_parts.UploadId is null)
        {
            var key = S3Names.NewPiece(_id);
            _written.Add(key);
            await _parts.InitiateAsync(key, cancellationToken).ConfigureAwait(false);
        }

        if (smalls.Count > 0)
        {
            var part = await _store.ReadPiecesAsync(smalls, _parts.Filled, cancellationToken).ConfigureAwait(false);
            _parts.MoveFilled(part.AsSpan(part.Length - _parts.Filled));
            smalls.Clear();
            await _parts.SendAsync(part, part.Length, pooled: null, cancellationToken).ConfigureAwait(false); // the pool's array fills the next part
        }
        else
        {
            await _parts.SendFilledAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_parts.Parts.Count == S3Parts.PartsPerPiece)
        {
            pieces.Add(await _parts.CompleteAsync().ConfigureAwait(false));
        }
    }

    // The writer's own objects go: what it sent is in no state that counts. Parts it added to an unfinished piece a
    // state records stay (the next sealer completes them after the recorded ones, which are the only ones counted).
    private async Task DiscardAsync()
    {
        await _parts.DiscardAsync().ConfigureAwait(false);
        foreach (var key in _written)
        {
            await _store.DeleteObjectAsync(key).ConfigureAwait(false);
        }
    }
}
