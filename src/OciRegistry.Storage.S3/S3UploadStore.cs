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
/// in: objects <c>uploads/&lt;id&gt;/piece/…</c>, one or more per PATCH, each complete and readable. The commit
/// copies the pieces server-side into <c>blobs/&lt;digest&gt;</c> (<c>CopyObject</c>, or a multipart upload of
/// <c>UploadPartCopy</c> ranges) and deletes the session.
/// </summary>
/// <remarks>
/// <para>Why pieces and not one multipart upload per session: S3 cannot read a multipart upload before it is completed,
/// nor cut one part short, and the upload protocol needs both (a re-hash of the prefix on another instance, a writer
/// opened below a stale writer's bytes). Completed pieces can be read and cut (a piece may count only its first bytes),
/// and the commit joins them with one server-side copy. A PATCH under 5 MiB is its own small piece; small trailing pieces
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

    private readonly ConcurrentDictionary<string, byte> _inUse = new(StringComparer.Ordinal);

    // The newest state this instance wrote or read of each session it works on. A writer or a commit claims the number
    // after it at once, instead of listing the states and reading the newest: a claim whose number another instance
    // took meanwhile fails, and then the newest state is read as before. Two requests fewer per writer and per commit.
    private readonly ConcurrentDictionary<string, (long Sequence, S3UploadState State)> _latest = new(StringComparer.Ordinal);
    private readonly S3BlobStore _blobs;
    private readonly TimeProvider _timeProvider;

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
            for (var remembered = _latest.ContainsKey(id); ; remembered = false)
            {
                if (await LatestAsync(id, remembered, cancellationToken).ConfigureAwait(false) is not var (sequence, state))
                {
                    Release(id);
                    return (UploadWriteStatus.Unknown, null);
                }

                if (state.Length < offset)
                {
                    if (remembered)
                    {
                        continue;
                    }

                    Release(id);
                    return (UploadWriteStatus.OffsetMismatch, null);
                }

                // The claim: from here on, every writer opened earlier finds its closing state taken.
                if (await TryClaimAsync(id, sequence, state, cancellationToken).ConfigureAwait(false))
                {
                    return (UploadWriteStatus.Opened, new S3UploadWriter(this, id, sequence + 1, state, offset));
                }
            }
        }
        catch
        {
            Release(id);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default) =>
        S3Names.IsUploadId(id) && await ReadLatestAsync(id, cancellationToken).ConfigureAwait(false) is var (_, state)
            ? new ConcatenatedContent([.. state.Pieces.Select(OpenPiece)])
            : null;

    /// <inheritdoc />
    /// <remarks>
    /// Claims the session first, so no writer opened before changes it afterwards; then copies the pieces into
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

            await new S3PieceCopy(this, S3Names.Blob(digest)).CopyAsync(state.Pieces, cancellationToken).ConfigureAwait(false);
            await DeleteObjectsAsync(id, CancellationToken.None).ConfigureAwait(false);
            _latest.TryRemove(id, out _);
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

        _latest.TryRemove(id, out _);
        await DeleteObjectsAsync(id, cancellationToken).ConfigureAwait(false);
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

    private async Task DeleteObjectsAsync(string id, CancellationToken cancellationToken)
    {
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
