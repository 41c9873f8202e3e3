using System.Buffers;
using Amazon.S3.Model;

namespace OciRegistry.Storage.S3;

/// <summary>
/// The parts a writer sends to one multipart upload: the writer's bytes are gathered into pooled parts of
/// <paramref name="partBytes"/>, and up to <see cref="PartsInFlight"/> are sent at once while the next fills (the
/// gateway takes parts in parallel faster than one after another), each recorded with its ETag once sent.
/// </summary>
/// <param name="store">The store whose bucket the upload is in.</param>
/// <param name="partBytes">The size of every part the writer fills (its last may be shorter).</param>
internal sealed class S3PartQueue(S3UploadStore store, int partBytes)
{
    /// <summary>Parts being sent at once; with the one filling, a writer holds at most three parts of memory.</summary>
    private const int PartsInFlight = 2;

    private readonly Queue<(Task<S3Part> Sending, byte[]? Pooled)> _sending = new();
    private byte[]? _filling;

    /// <summary>The upload's object, or null before the first part.</summary>
    public string? Key { get; private set; }

    /// <summary>The multipart upload, or null before the first part.</summary>
    public string? UploadId { get; private set; }

    /// <summary>Whether this writer started the upload (so no state records it, and discarding aborts it).</summary>
    public bool Initiated { get; private set; }

    /// <summary>The parts so far, in order; one being sent has an empty ETag.</summary>
    public List<S3Part> Parts { get; } = [];

    /// <summary>The bytes gathered for the next part and not sent yet.</summary>
    public int Filled { get; private set; }

    /// <summary>
    /// Copies <paramref name="data"/> into the part being filled (a pooled array of the part size), handing each part
    /// that fills to <paramref name="sendFull"/>, which sends it (<see cref="SendFilledAsync"/>).
    /// </summary>
    public async ValueTask FillAsync(ReadOnlySequence<byte> data, Func<CancellationToken, Task> sendFull, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            _filling ??= ArrayPool<byte>.Shared.Rent(partBytes);
            var taken = data.Length > partBytes - Filled ? data.Slice(0, partBytes - Filled) : data;
            taken.CopyTo(_filling.AsSpan(Filled));
            Filled += (int)taken.Length;
            data = data.Slice(taken.End);
            if (Filled == partBytes)
            {
                await sendFull(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The bytes filled so far, as a stream over the filling array (for a <c>PutObject</c> of them).</summary>
    public MemoryStream OpenFilled() =>
        _filling is null ? new MemoryStream([], writable: false) : new MemoryStream(_filling, 0, Filled, writable: false);

    /// <summary>Copies the bytes filled so far to <paramref name="destination"/> and empties the part being filled.</summary>
    public void MoveFilled(Span<byte> destination)
    {
        _filling.AsSpan(0, Filled).CopyTo(destination);
        Filled = 0;
    }

    /// <summary>Sends the bytes filled so far as the next part (<see cref="SendAsync"/>); their array goes back to the pool once sent.</summary>
    public async Task SendFilledAsync(CancellationToken cancellationToken)
    {
        var part = _filling!;
        _filling = null;
        var length = Filled;
        Filled = 0;
        await SendAsync(part, length, pooled: part, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the array being filled back to the pool (the writer is done with its bytes).</summary>
    public void ReleaseFilling()
    {
        if (_filling is not null)
        {
            ArrayPool<byte>.Shared.Return(_filling);
            _filling = null;
        }

        Filled = 0;
    }

    /// <summary>Goes on adding parts to an upload a state records.</summary>
    public void Continue(string key, S3Unfinished unfinished)
    {
        (Key, UploadId, Initiated) = (key, unfinished.UploadId, false);
        Parts.AddRange(unfinished.Parts);
    }

    /// <summary>Starts a multipart upload of <paramref name="key"/>.</summary>
    public async Task InitiateAsync(string key, CancellationToken cancellationToken)
    {
        UploadId = (await store.Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = store.Bucket, Key = key }, cancellationToken).ConfigureAwait(false)).UploadId;
        (Key, Initiated) = (key, true);
    }

    /// <summary>
    /// Sends the first <paramref name="length"/> bytes of <paramref name="part"/> as the next part, once fewer than
    /// <see cref="PartsInFlight"/> are being sent; <paramref name="pooled"/> (the same array, or null) goes back to the
    /// pool when it is sent.
    /// </summary>
    public async Task SendAsync(byte[] part, int length, byte[]? pooled, CancellationToken cancellationToken)
    {
        await FinishAsync(PartsInFlight - 1).ConfigureAwait(false);
        var number = Parts.Count == 0 ? 1 : Parts[^1].Number + 1;
        Parts.Add(new S3Part(number, string.Empty, length));
        _sending.Enqueue((store.SendPartAsync(Key!, UploadId!, number, part, length, cancellationToken), pooled));
    }

    /// <summary>Waits until at most <paramref name="left"/> parts are being sent, recording each sent part's ETag.</summary>
    public async Task FinishAsync(int left = 0)
    {
        while (_sending.Count > left)
        {
            var (sending, pooled) = _sending.Dequeue();
            try
            {
                var sent = await sending.ConfigureAwait(false);
                Parts[Parts.FindIndex(part => part.Number == sent.Number)] = sent;
            }
            finally
            {
                if (pooled is not null)
                {
                    ArrayPool<byte>.Shared.Return(pooled);
                }
            }
        }
    }

    /// <summary>Completes the upload with its parts (after the last is sent) and starts afresh.</summary>
    public async Task<S3Piece> CompleteAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        var piece = await store.SealAsync(Unfinished(), CancellationToken.None).ConfigureAwait(false);
        Reset();
        return piece;
    }

    /// <summary>The upload as an unfinished piece of this instance, with the parts sent so far.</summary>
    public S3Piece Unfinished() => store.Unfinished(Key!, UploadId!, [.. Parts]);

    /// <summary>Waits for every part being sent, whatever its outcome, and aborts the upload if this writer started it.</summary>
    public async Task DiscardAsync()
    {
        while (_sending.Count > 0)
        {
            try
            {
                await FinishAsync(_sending.Count - 1).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The part's failure is the caller's error already; what matters here is removing what was sent.
            }
        }

        if (Initiated)
        {
            await store.AbortAsync(Key!, UploadId!).ConfigureAwait(false);
        }

        Reset();
    }

    private void Reset()
    {
        (Key, UploadId, Initiated) = (null, null, false);
        Parts.Clear();
    }
}
