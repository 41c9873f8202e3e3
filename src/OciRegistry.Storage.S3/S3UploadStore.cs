using OciRegistry.Core.References;
using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.ObjectStorage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// An <see cref="IUploadStore"/> in the bucket of an <see cref="S3BlobStore"/>. A session is a chain of state objects
/// (<c>uploads/&lt;id&gt;/state/…</c>, each written once with <c>If-None-Match: *</c>) listing the pieces its bytes are
/// in: objects <c>uploads/&lt;id&gt;/piece/…</c>. The PATCHes one instance takes in a row add parts to one multipart
/// upload, left unfinished between them; the commit completes it and copies it into <c>blobs/&lt;digest&gt;</c> with one
/// <c>CopyObject</c> (which Ceph does by reference, without copying the bytes), and deletes the session. Pieces written
/// by several instances are joined with a multipart upload of <c>UploadPartCopy</c> ranges, which copies the bytes.
/// </summary>
/// <remarks>
/// <para>Why pieces and not always one multipart upload per session: S3 cannot read a multipart upload before it is
/// completed, nor cut one part short, and the upload protocol needs both (a re-hash of the prefix on another instance, a
/// writer opened below a stale writer's bytes). So an unfinished piece is completed (sealed) whenever its bytes must be
/// read or cut, or another instance writes next; completed pieces can be read and cut (a piece may count only its first
/// bytes). A PATCH under 5 MiB is its own small piece; small trailing pieces
/// are read back once and sent again at the start of the next writer's piece when together they reach 5 MiB, so every
/// byte is sent at most twice however small the PATCHes.</para>
/// <para>Who may write: the newest state wins. A writer (and a commit) first writes the next state number as a claim,
/// then writes the one after it when it closes; a writer opened before the claim of another finds its closing state
/// taken and its bytes never count. Within one process a second writer or a commit is also refused at once
/// (<see cref="UploadWriteStatus.Busy"/>); across instances the session rows' writer lease keeps writers apart and the
/// claims fence the stale ones. See STORAGE.md.</para>
/// </remarks>
public sealed class S3UploadStore : IUploadStore
{
    // Past this many sessions remembered, the memory of them is dropped (sessions that ended on other instances).
    private const int LatestBound = 4096;

    // Listings and completions tried when parts of a fenced writer keep landing while an unfinished piece is sealed.
    private const int SealAttempts = 5;

    private readonly ConcurrentDictionary<string, byte> _inUse = new(StringComparer.Ordinal);

    // The newest state this instance wrote or read of each session it works on. A writer or a commit claims the number
    // after it at once, instead of listing the states and reading the newest: a claim whose number another instance
    // took meanwhile fails, and then the newest state is read as before. Two requests fewer per writer and per commit.
    private readonly ConcurrentDictionary<string, (long Sequence, S3UploadState State)> _latest = new(StringComparer.Ordinal);
    private readonly S3BlobStore _blobs;
    private readonly TimeProvider _timeProvider;

    // Names this instance in the unfinished pieces its writers add parts to.
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>Keeps upload sessions in <paramref name="blobs"/>' bucket and commits them into it.</summary>
    /// <param name="blobs">The blob store committed uploads go to.</param>
    /// <param name="timeProvider">The clock stamping <see cref="UploadSession.StartedAt"/>; the system clock when omitted.</param>
    public S3UploadStore(S3BlobStore blobs, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    internal IAmazonS3 Client => _blobs.Client;

    internal string Bucket => _blobs.Bucket;

    /// <inheritdoc />
    public async ValueTask<UploadSession> CreateAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, _timeProvider.GetUtcNow(), 0);
        var state = new S3UploadState(repository.Value, session.StartedAt, []);
        if (await TryPutStateAsync(session.Id, 0, state, cancellationToken).ConfigureAwait(false))
        {
            Remember(session.Id, 0, state);
        }

        return session;
    }

    /// <inheritdoc />
    public async ValueTask<UploadSession?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        S3Names.IsUploadId(id) && await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false) is var (_, state)
            && RepositoryName.TryParse(state.Repository, out var repository)
            ? new UploadSession(id, repository, state.StartedAt, state.Length)
            : null;

    /// <inheritdoc />
    public async ValueTask<(UploadWriteStatus Status, IUploadWriter? Writer)> OpenWriterAsync(string id, long offset, CancellationToken cancellationToken = default)
    {
        if (!S3Names.IsUploadId(id))
        {
            return (UploadWriteStatus.Unknown, null);
        }

        if (!_inUse.TryAdd(id, 0))
        {
            return (UploadWriteStatus.Busy, null);
        }

        try
        {
            // The claim of the state this instance remembers goes out while the request's body arrives (one round trip
            // less before its bytes), and the writer waits for it before it sends a part or records anything. It is not
            // cancelled with the request: a body cut short is still recorded up to where it was written, as when the
            // claim came first.
            if (_latest.TryGetValue(id, out var known) && known.State.Length >= offset)
            {
                return (UploadWriteStatus.Opened, new S3UploadWriter(this, id, offset, OpenRememberedAsync(id, known, offset, CancellationToken.None)));
            }

            var (status, opening) = await OpenNewestAsync(id, offset, cancellationToken).ConfigureAwait(false);
            if (opening is null)
            {
                Release(id);
                return (status, null);
            }

            return (status, new S3UploadWriter(this, id, offset, Task.FromResult(opening)));
        }
        catch
        {
            Release(id);
            throw;
        }
    }

    // Claims the remembered state; when another instance wrote meanwhile (the number is taken), the newest state. The
    // writer's bytes are still in its first part then: none was sent.
    private async Task<S3WriterOpening> OpenRememberedAsync(string id, (long Sequence, S3UploadState State) known, long offset, CancellationToken cancellationToken)
    {
        if (await TryClaimAsync(id, known.Sequence, known.State, cancellationToken).ConfigureAwait(false))
        {
            return new S3WriterOpening(known.Sequence + 1, known.State, await S3WriterStart.CutAsync(this, known.State.Pieces, offset, cancellationToken).ConfigureAwait(false));
        }

        var (status, opening) = await OpenNewestAsync(id, offset, cancellationToken).ConfigureAwait(false);
        return opening ?? throw new IOException(
            $"Upload {id} changed on another instance while this request was writing to it ({status} at offset {offset}); the request's bytes were not stored.");
    }

    // Reads the newest state and claims it: from then on, every writer opened earlier finds its closing state taken.
    private async Task<(UploadWriteStatus Status, S3WriterOpening? Opening)> OpenNewestAsync(string id, long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false) is not var (sequence, state))
            {
                return (UploadWriteStatus.Unknown, null);
            }

            if (state.Length < offset)
            {
                return (UploadWriteStatus.OffsetMismatch, null);
            }

            if (await TryClaimAsync(id, sequence, state, cancellationToken).ConfigureAwait(false))
            {
                return (UploadWriteStatus.Opened, new S3WriterOpening(sequence + 1, state, await S3WriterStart.CutAsync(this, state.Pieces, offset, cancellationToken).ConfigureAwait(false)));
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The bytes go straight to <c>blobs/&lt;digest&gt;</c> as a multipart upload the commit completes (or one
    /// <c>PutObject</c> for a blob of one part or less), invisible until then: no piece, no state written, nothing copied
    /// (<see cref="S3BlobWriter"/>). The session is not touched until the commit deletes it: the caller's row, which it
    /// ended at length 0 before committing, is what fences a PATCH that raced this writer.
    /// </remarks>
    public ValueTask<(UploadWriteStatus Status, IBlobWriter? Writer)> OpenBlobWriterAsync(string id, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!S3Names.IsUploadId(id))
        {
            return ValueTask.FromResult<(UploadWriteStatus, IBlobWriter?)>((UploadWriteStatus.Unknown, null));
        }

        IBlobWriter writer = new S3BlobWriter(this, S3Names.Blob(digest), () => EndSessionAsync(id));
        return ValueTask.FromResult<(UploadWriteStatus, IBlobWriter?)>((UploadWriteStatus.Opened, writer));
    }

    /// <inheritdoc />
    /// <remarks>An unfinished piece is completed first, under a claim, and the state recorded with it completed.</remarks>
    public async ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!S3Names.IsUploadId(id))
        {
            return null;
        }

        while (await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false) is var (sequence, state))
        {
            if (state.Pieces.All(piece => piece.Unfinished is null))
            {
                return new ConcatenatedContent([.. state.Pieces.Select(OpenPiece)]);
            }

            if (await TryClaimAsync(id, sequence, state, cancellationToken).ConfigureAwait(false))
            {
                var sealedState = state with { Pieces = await SealAllAsync(state.Pieces, cancellationToken).ConfigureAwait(false) };
                if (await TryPutStateAsync(id, sequence + 2, sealedState, cancellationToken).ConfigureAwait(false))
                {
                    Remember(id, sequence + 2, sealedState);
                }

                return new ConcatenatedContent([.. sealedState.Pieces.Select(OpenPiece)]);
            }
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Claims the session first, so no writer opened before changes it afterwards; then completes the unfinished piece
    /// (with the small trailing pieces as its last part when this instance wrote it), copies the pieces into
    /// <c>blobs/&lt;digest&gt;</c> (overwriting, so a bad copy is repaired) and deletes the session's objects.
    /// </remarks>
    public async ValueTask<UploadCommitStatus> CommitAsync(string id, Digest digest, long length, CancellationToken cancellationToken = default)
    {
        if (!S3Names.IsUploadId(id))
        {
            return UploadCommitStatus.Unknown;
        }

        if (!_inUse.TryAdd(id, 0))
        {
            return UploadCommitStatus.Busy;
        }

        try
        {
            S3UploadState state;
            for (var remembered = _latest.ContainsKey(id); ; remembered = false)
            {
                if (await LatestAsync(id, remembered, cancellationToken).ConfigureAwait(false) is not var (sequence, latest))
                {
                    return UploadCommitStatus.Unknown;
                }

                if (latest.Length != length)
                {
                    if (remembered)
                    {
                        continue;
                    }

                    return UploadCommitStatus.LengthMismatch;
                }

                if (await TryClaimAsync(id, sequence, latest, cancellationToken).ConfigureAwait(false))
                {
                    state = latest;
                    break;
                }
            }

            var pieces = await CompleteForCommitAsync(state.Pieces, cancellationToken).ConfigureAwait(false);
            await new S3PieceCopy(this, S3Names.Blob(digest)).CopyAsync(pieces, cancellationToken).ConfigureAwait(false);
            await EndSessionAsync(id).ConfigureAwait(false);
            return UploadCommitStatus.Committed;
        }
        finally
        {
            Release(id);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Aborts the session's unfinished multipart uploads and deletes its objects. A writer still open elsewhere may
    /// write a state afterwards; that session has no row, and expiry removes it.
    /// </remarks>
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!S3Names.IsUploadId(id) || await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await EndSessionAsync(id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = S3Names.UploadPrefix, Delimiter = "/" };
        do
        {
            var page = await Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var prefix in page.CommonPrefixes ?? [])
            {
                var id = prefix[S3Names.UploadPrefix.Length..^1];
                if (S3Names.IsUploadId(id) && await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } session)
                {
                    yield return session;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    internal void Release(string id) => _inUse.TryRemove(id, out _);

    /// <summary>Whether this instance's writers add the parts of <paramref name="unfinished"/>.</summary>
    internal bool IsOwn(S3Unfinished unfinished) => unfinished.Writer == _instance;

    /// <summary>An unfinished piece of this instance's writers, with the parts recorded so far.</summary>
    internal S3Piece Unfinished(string key, string uploadId, IReadOnlyList<S3Part> parts) =>
        new(key, parts.Sum(part => part.Length), Whole: true, new S3Unfinished(uploadId, _instance, parts));

    /// <summary>
    /// Completes an unfinished piece, so it can be read, cut or copied. Parts sent after the recorded ones (by a writer
    /// that failed or was fenced before recording them) are completed with it, since Ceph completes only with every
    /// part listed; the piece still counts only the recorded bytes, which come first. An upload completed already (by a
    /// sealer that stopped before recording it) is taken as it is when it holds the recorded bytes.
    /// </summary>
    internal async Task<S3Piece> SealAsync(S3Piece piece, CancellationToken cancellationToken)
    {
        var unfinished = piece.Unfinished ?? throw new ArgumentException("The piece is finished.", nameof(piece));
        try
        {
            await CompleteAsync(piece.Key, unfinished.UploadId, unfinished.Parts, cancellationToken).ConfigureAwait(false);
            return piece with { Unfinished = null };
        }
        catch (AmazonS3Exception)
        {
            // Parts beyond the recorded ones, or completed already: look at what is there.
        }

        for (var attempt = 1; ; attempt++)
        {
            var listed = await ListPartsAsync(piece.Key, unfinished.UploadId, cancellationToken).ConfigureAwait(false);
            if (listed is null)
            {
                var stored = await Client.GetObjectMetadataAsync(Bucket, piece.Key, cancellationToken).ConfigureAwait(false);
                return stored.ContentLength >= piece.Length
                    ? piece with { Unfinished = null, Whole = stored.ContentLength == piece.Length }
                    : throw new InvalidDataException($"Upload piece {piece.Key} holds {stored.ContentLength} bytes, fewer than the {piece.Length} recorded.");
            }

            if (listed.Count < unfinished.Parts.Count
                || unfinished.Parts.Where((part, i) => listed[i].Number != part.Number || listed[i].ETag.Trim('"') != part.ETag.Trim('"')).Any())
            {
                throw new InvalidDataException($"The parts of upload piece {piece.Key} are not the ones recorded.");
            }

            try
            {
                await CompleteAsync(piece.Key, unfinished.UploadId, listed, cancellationToken).ConfigureAwait(false);
                return piece with { Unfinished = null, Whole = listed.Sum(part => part.Length) == piece.Length };
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidPart" && attempt < SealAttempts)
            {
                // A fenced writer's part landed between the listing and the completion: list again.
            }
        }
    }

    /// <summary>Sends <paramref name="content"/> as part <paramref name="number"/> of a multipart upload.</summary>
    internal async Task<S3Part> SendPartAsync(string key, string uploadId, int number, byte[] content, int length, CancellationToken cancellationToken)
    {
        var sent = await Client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = new MemoryStream(content, 0, length, writable: false),
                // Signed whole (one SHA-256 of the part before it is sent) rather than aws-chunked, whose signature of
                // every 64 KiB chunk also copies each byte into a chunk buffer (ChunkedUploadWrapperStream): the part
                // is in memory already, and with two parts in flight its hashing overlaps the other's sending.
                UseChunkEncoding = false,
            },
            cancellationToken).ConfigureAwait(false);
        return new S3Part(number, sent.ETag, length);
    }

    // The pieces to copy into the blob: this instance's unfinished piece completed with the small trailing pieces as
    // its last part (S3's last part may be short), so a session written by one instance is one object; otherwise every
    // unfinished piece completed as it is.
    private async Task<IReadOnlyList<S3Piece>> CompleteForCommitAsync(IReadOnlyList<S3Piece> pieces, CancellationToken cancellationToken)
    {
        if (pieces is not [{ Unfinished: { } unfinished } open, ..] || !IsOwn(unfinished))
        {
            return await SealAllAsync(pieces, cancellationToken).ConfigureAwait(false);
        }

        var smalls = pieces.Skip(1).ToList();

        if (smalls.Count > 0)
        {
            var tail = await ReadPiecesAsync(smalls, 0, cancellationToken).ConfigureAwait(false);
            var last = await SendPartAsync(open.Key, unfinished.UploadId, unfinished.Parts[^1].Number + 1, tail, tail.Length, cancellationToken).ConfigureAwait(false);
            open = open with { Length = open.Length + last.Length, Unfinished = unfinished with { Parts = [.. unfinished.Parts, last] } };
        }

        return [await SealAsync(open, cancellationToken).ConfigureAwait(false)];
    }

    private async Task<IReadOnlyList<S3Piece>> SealAllAsync(IReadOnlyList<S3Piece> pieces, CancellationToken cancellationToken)
    {
        var sealedPieces = new List<S3Piece>(pieces.Count);
        foreach (var piece in pieces)
        {
            sealedPieces.Add(piece.Unfinished is null ? piece : await SealAsync(piece, cancellationToken).ConfigureAwait(false));
        }

        return sealedPieces;
    }

    internal async Task CompleteAsync(string key, string uploadId, IReadOnlyList<S3Part> parts, CancellationToken cancellationToken) =>
        await Client.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. parts.Select(part => new PartETag(part.Number, part.ETag))],
            },
            cancellationToken).ConfigureAwait(false);

    // Every part S3 holds of the upload, or null when it is no longer in progress (completed or aborted).
    private async Task<List<S3Part>?> ListPartsAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        var parts = new List<S3Part>();
        var request = new ListPartsRequest { BucketName = Bucket, Key = key, UploadId = uploadId };
        try
        {
            while (true)
            {
                var page = await Client.ListPartsAsync(request, cancellationToken).ConfigureAwait(false);
                parts.AddRange((page.Parts ?? []).Select(part => new S3Part(part.PartNumber ?? 0, part.ETag, part.Size ?? 0)));
                if (page.IsTruncated != true)
                {
                    return parts;
                }

                request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Notes state <paramref name="sequence"/> of the session, which this instance just wrote, as its newest.</summary>
    internal void Remember(string id, long sequence, S3UploadState state)
    {
        if (_latest.Count > LatestBound)
        {
            _latest.Clear();
        }

        _latest[id] = (sequence, state);
    }

    // The newest state: the one this instance remembers, when asked and it has one; else read from the bucket.
    private async Task<(long Sequence, S3UploadState State)?> LatestAsync(string id, bool remembered, CancellationToken cancellationToken) =>
        remembered && _latest.TryGetValue(id, out var known) ? known : await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false);

    // Writes the state after sequence as a claim; a number taken means the state remembered was not the newest.
    private async Task<bool> TryClaimAsync(string id, long sequence, S3UploadState state, CancellationToken cancellationToken)
    {
        if (await TryPutStateAsync(id, sequence + 1, state, cancellationToken).ConfigureAwait(false))
        {
            Remember(id, sequence + 1, state);
            return true;
        }

        _latest.TryRemove(id, out _);
        return false;
    }

    /// <summary>The newest state of the session and its number, or null when it has none.</summary>
    internal async Task<(long Sequence, S3UploadState State)?> ReadLatestAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var listed = await Client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = Bucket, Prefix = S3Names.StatePrefix(id), MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            if (listed.S3Objects is not [{ Key: var key }, ..])
            {
                return null;
            }

            try
            {
                using var response = await Client.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
                var state = await JsonSerializer.DeserializeAsync(response.ResponseStream, S3JsonContext.Default.S3UploadState, cancellationToken).ConfigureAwait(false);
                return (S3Names.SequenceOf(key), state!);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted between the listing and the read (the session ended): look again.
            }
        }
    }

    /// <summary>Writes state number <paramref name="sequence"/> unless it exists; false when another writer took it.</summary>
    internal async Task<bool> TryPutStateAsync(string id, long sequence, S3UploadState state, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = S3Names.State(id, sequence),
            InputStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(state, S3JsonContext.Default.S3UploadState), writable: false),
            AutoCloseStream = true,
            IfNoneMatch = "*",
        };
        try
        {
            await Client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    internal StreamedBlobContent OpenPiece(S3Piece piece) =>
        new(piece.Length, (offset, count, token) => _blobs.OpenRangeAsync(piece.Key, offset, count, token));

    /// <summary>Reads the pieces whole into one array (small trailing pieces, together under 5 MiB).</summary>
    internal async Task<byte[]> ReadPiecesAsync(IReadOnlyList<S3Piece> pieces, int extraBytes, CancellationToken cancellationToken)
    {
        var content = new ConcatenatedContent([.. pieces.Select(OpenPiece)]);
        await using (content.ConfigureAwait(false))
        {
            var bytes = new byte[content.Length + extraBytes];
            var read = 0;
            while (read < content.Length)
            {
                read += await content.ReadAsync(read, bytes.AsMemory(read, (int)content.Length - read), cancellationToken).ConfigureAwait(false);
            }

            return bytes;
        }
    }

    internal async Task DeleteObjectAsync(string key) =>
        await Client.DeleteObjectAsync(Bucket, key, CancellationToken.None).ConfigureAwait(false);

    internal async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await Client.AbortMultipartUploadAsync(Bucket, key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonS3Exception)
        {
            // Gone already (Ceph answers 500 for an unknown upload id): expiry and the bucket's lifecycle rule remain.
        }
    }

    // Aborts the session's unfinished multipart uploads and deletes its objects.
    private async Task EndSessionAsync(string id, CancellationToken cancellationToken = default)
    {
        _latest.TryRemove(id, out _);
        var uploads = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = S3Names.Session(id) };
        var unfinished = await Client.ListMultipartUploadsAsync(uploads, cancellationToken).ConfigureAwait(false);
        foreach (var upload in unfinished.MultipartUploads ?? [])
        {
            await AbortAsync(upload.Key, upload.UploadId).ConfigureAwait(false);
        }

        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = S3Names.Session(id) };
        do
        {
            var page = await Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await Client.DeleteObjectsAsync(
                    new DeleteObjectsRequest { BucketName = Bucket, Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })] },
                    cancellationToken).ConfigureAwait(false);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }
}
