using OciRegistry.Core.References;
using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Operations;

/// <summary>
/// Pushing blobs: upload sessions (start, append chunks, finish with a digest, cancel), one-request monolithic
/// pushes and cross-repository mounts. Request bodies stream through the hasher into the store chunk by chunk; no
/// blob is held in memory whole.
/// </summary>
/// <remarks>
/// A session's state is its row in the <see cref="IUploadSessionStore"/> (shared by every instance on the metadata
/// backend); the <see cref="IUploadStore"/> holds its bytes. A PATCH leases the row at its offset, writes, then
/// records the new length by compare-and-set with its lease; a PUT ends the row at the length it hashed, then
/// commits exactly those bytes. See STORAGE.md.
/// </remarks>
public sealed class UploadOperations
{
    private const int CopySliceBytes = 256 * 1024;
    private const int OffloadMinBytes = 64 * 1024;

    // How long a PATCH holds its session before another instance may take it over: only a writer that crashed (or
    // stalled this long) loses it, and then its append is refused when it records it. It is not renewed; a PATCH that
    // outlives it still records its append unless another one took the session meanwhile.
    private static readonly TimeSpan WriterLease = TimeSpan.FromMinutes(10);

    private readonly IUploadStore _uploads;
    private readonly IUploadSessionStore _sessions;
    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IOptions<RegistryOptions> _options;
    private readonly TimeProvider _time;
    private readonly RegistryMetrics? _metrics;
    private readonly UploadHashCache _hashes = new();

    /// <summary>Creates the operations over the given stores.</summary>
    public UploadOperations(IUploadStore uploads, IUploadSessionStore sessions, IBlobStore blobs, IMetadataStore metadata, IOptions<RegistryOptions> options, TimeProvider? time = null, RegistryMetrics? metrics = null)
    {
        _metrics = metrics;
        _uploads = uploads;
        _sessions = sessions;
        _blobs = blobs;
        _metadata = metadata;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts an upload session in <paramref name="repository"/>.</summary>
    public async ValueTask<RegistryResult<UploadSession>> StartAsync(string repository, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } error)
        {
            return error;
        }

        if (_options.Value.MaxUploadSessions is { } limit && await CountSessionsAsync(limit, cancellationToken).ConfigureAwait(false) >= limit)
        {
            return RegistryError.TooManyRequests($"{limit} uploads are in progress, the registry's limit; retry when one has finished");
        }

        // Bytes first: a crash before the row leaves bytes no row names, which expiry removes.
        var session = await _uploads.CreateAsync(name, cancellationToken).ConfigureAwait(false);
        await _sessions.CreateUploadSessionAsync(session, cancellationToken).ConfigureAwait(false);
        _metrics?.UploadStarted();
        return session;
    }

    /// <summary>The state of a live session of <paramref name="repository"/>; BLOB_UPLOAD_UNKNOWN when it does not exist or expired.</summary>
    public async ValueTask<RegistryResult<UploadSession>> GetAsync(string repository, string uploadId, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } error)
        {
            return error;
        }

        var session = await FindLiveSessionAsync(name, uploadId, cancellationToken).ConfigureAwait(false);
        return session is null ? RegistryError.UploadUnknown() : session;
    }

    /// <summary>
    /// Appends <paramref name="body"/> to the session. When <paramref name="rangeStart"/> is given (a
    /// <c>Content-Range</c>), it must equal the session's length, else the chunk is refused as out of order.
    /// </summary>
    public async ValueTask<RegistryResult<UploadSession>> AppendAsync(string repository, string uploadId, long? rangeStart, PipeReader body, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } error)
        {
            return error;
        }

        // The session's read and its lease in one call (one round trip on a database).
        var owner = NewOwner();
        var notStartedBefore = _time.GetUtcNow() - _options.Value.UploadSessionLifetime;
        var (session, status) = await _sessions.LeaseLiveUploadSessionAsync(uploadId, name, notStartedBefore, rangeStart, owner, WriterLease, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            UploadWriteStatus.Opened => await WriteLeasedAsync(session!, owner, body, cancellationToken).ConfigureAwait(false),
            UploadWriteStatus.OffsetMismatch => RegistryError.UploadOutOfOrder(session!.Length),
            UploadWriteStatus.Busy => Busy(),
            _ => RegistryError.UploadUnknown(),
        };
    }

    /// <summary>
    /// Finishes the session: appends <paramref name="finalChunk"/> if any, checks the content against
    /// <paramref name="digest"/>, commits the blob and links it to the repository. On a mismatch nothing is stored and
    /// the session ends (DIGEST_INVALID).
    /// </summary>
    public async ValueTask<RegistryResult<Digest>> CompleteAsync(string repository, string uploadId, string digest, long? rangeStart, PipeReader? finalChunk, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.UploadCommit, repository, digest);
        return RegistryActivitySource.Finish(activity, await CompleteCoreAsync(repository, uploadId, digest, rangeStart, finalChunk, verified: false, cancellationToken).ConfigureAwait(false));
    }

    // verified: the caller hashed the final chunk to the digest already; PushVerifiedAsync sends the whole blob to an
    // empty session, so it always takes PushWholeAsync, which writes it without hashing it again.
    private async ValueTask<RegistryResult<Digest>> CompleteCoreAsync(string repository, string uploadId, string digest, long? rangeStart, PipeReader? finalChunk, bool verified, CancellationToken cancellationToken)
    {
        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (Check.Digest(digest, out var expected) is { } digestError)
        {
            return digestError;
        }

        var session = await FindLiveSessionAsync(name, uploadId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return RegistryError.UploadUnknown();
        }

        if (finalChunk is not null && session.Length == 0 && rangeStart is null or 0)
        {
            return await PushWholeAsync(name, session, expected, finalChunk, verified, cancellationToken).ConfigureAwait(false);
        }

        if (finalChunk is not null)
        {
            var appended = await AppendToSessionAsync(session, rangeStart, finalChunk, cancellationToken).ConfigureAwait(false);
            if (!appended.IsSuccess)
            {
                return appended.Error;
            }

            session = appended.Value;
        }

        var actual = await FinishHashAsync(session, expected.Algorithm, cancellationToken).ConfigureAwait(false);
        if (actual is null)
        {
            return RegistryError.UploadUnknown();
        }

        if (actual.Value != expected)
        {
            await EndAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
            return RegistryError.DigestInvalid($"the uploaded content is {actual.Value}, not {expected}");
        }

        return await LinkAndCommitAsync(
            name,
            session,
            expected,
            session.Length,
            flush: null,
            () => _uploads.CommitAsync(session.Id, expected, session.Length, CancellationToken.None),
            cancellationToken).ConfigureAwait(false);
    }

    // The whole blob in the PUT (or POST ?digest=) of an empty session: its digest is known before the bytes, so the
    // store may write them straight to the blob's final place (IUploadStore.OpenBlobWriterAsync; on object stores no
    // copy at the commit), visible only once hashed, linked and the row ended. The row is not leased: these bytes
    // never count in it, and ending it at length 0 with no live lease refuses the commit if a PATCH raced this request.
    // A body cut short or refused leaves the session as it was (empty).
    private async ValueTask<RegistryResult<Digest>> PushWholeAsync(RepositoryName name, UploadSession session, Digest expected, PipeReader body, bool verified, CancellationToken cancellationToken)
    {
        var (status, writer) = await _uploads.OpenBlobWriterAsync(session.Id, expected, cancellationToken).ConfigureAwait(false);
        if (OpenFailure(status) is { } refused)
        {
            return refused;
        }

        Digest actual;
        var openWriter = writer!;
        await using (openWriter.ConfigureAwait(false))
        {
            using (var hasher = verified ? null : DigestHasher.Rent(expected.Algorithm))
            {
                if (await CopyAsync(body, openWriter, hasher, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }

                actual = hasher?.Finish() ?? expected;
            }

            if (actual == expected)
            {
                return await LinkAndCommitAsync(
                    name,
                    session,
                    expected,
                    openWriter.Length,
                    () => openWriter.FlushAsync(CancellationToken.None),
                    () => openWriter.CommitAsync(CancellationToken.None),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        await EndAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
        return RegistryError.DigestInvalid($"the uploaded content is {actual}, not {expected}");
    }

    // After the hash matched: links the blob and ends the session's row at the length it recorded (one round trip on a
    // store that keeps both), meanwhile makes a whole blob's bytes durable (flush, IBlobWriter.FlushAsync: on the file
    // store the data file's fsync, which the commit waited for after the round trip), then commits the bytes.
    private async ValueTask<RegistryResult<Digest>> LinkAndCommitAsync(RepositoryName name, UploadSession session, Digest expected, long size, Func<ValueTask>? flush, Func<ValueTask<UploadCommitStatus>> commit, CancellationToken cancellationToken)
    {
        // Linked before the bytes are committed: a collector deletes a blob's bytes only after marking it, in the
        // metadata store, as unlinked everywhere and being deleted. So either this link lands first (the collector
        // keeps the blob), or the link waits until the deletion has ended and the commit below, finding no blob,
        // moves this upload's copy in. Whichever way, the blob is there. A refused link leaves the session as it was.
        // The row ends after the link, once, at the length hashed and with no writer holding it: a PATCH that started
        // after the hash either holds the lease (Busy) or has moved the length (LengthMismatch). Then exactly those
        // bytes are committed; if the bytes refuse (a writer of this host still holds them), the session is gone and
        // nothing is stored, so the client pushes again.
        var linking = DeletionWait.RetryAsync(
            () => _sessions.LinkBlobAndEndUploadSessionAsync(_metadata, name, expected, size, session.Id, session.Length, cancellationToken),
            ended => ended is null,
            _time,
            cancellationToken).AsTask();
        if (flush is not null)
        {
            await Task.WhenAll(linking, flush().AsTask()).ConfigureAwait(false);
        }

        if (await linking.ConfigureAwait(false) is not { } ended)
        {
            return RegistryError.UploadInvalid("the registry is deleting an old copy of this blob; push it again");
        }

        var committed = ended == UploadCommitStatus.Committed ? await commit().ConfigureAwait(false) : ended;
        if (ended == UploadCommitStatus.Committed && committed != UploadCommitStatus.Committed)
        {
            await _uploads.DeleteAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
            _metrics?.UploadsEnded();
        }

        switch (committed)
        {
            case UploadCommitStatus.Busy:
                return RegistryError.UploadInvalid("another request is writing to this upload");
            case UploadCommitStatus.LengthMismatch:
                return RegistryError.UploadInvalid("another request wrote to this upload while it was being finished");
            case UploadCommitStatus.Unknown:
                return RegistryError.UploadUnknown();
        }

        _metrics?.UploadCompleted(_time.GetUtcNow() - session.StartedAt);
        return expected;
    }

    /// <summary>Pushes a whole blob in one request (<c>POST ?digest=</c>).</summary>
    public async ValueTask<RegistryResult<Digest>> PushAsync(string repository, string digest, PipeReader body, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.BlobPush, repository, digest);
        return RegistryActivitySource.Finish(activity, await PushCoreAsync(repository, digest, body, verified: false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Pushes a whole blob, as <see cref="PushAsync"/>, whose bytes the caller hashed to <paramref name="digest"/> on
    /// their way to <paramref name="body"/> (the mirror's fill verifies a download before it stores it from its spool):
    /// they are written and committed without being hashed a second time.
    /// </summary>
    internal async ValueTask<RegistryResult<Digest>> PushVerifiedAsync(string repository, Digest digest, PipeReader body, CancellationToken cancellationToken)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.BlobPush, repository, digest.ToString());
        return RegistryActivitySource.Finish(activity, await PushCoreAsync(repository, digest.ToString(), body, verified: true, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<Digest>> PushCoreAsync(string repository, string digest, PipeReader body, bool verified, CancellationToken cancellationToken)
    {
        if (Check.Digest(digest, out _) is { } digestError)
        {
            return digestError;
        }

        var started = await StartAsync(repository, cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        // The client never learns this session's id, so it cannot resume or cancel it: whatever ends the push short
        // (a refused digest, a disconnect mid-body, a full disk) removes the session and its partial data at once.
        var pushed = false;
        try
        {
            using var activity = RegistryActivitySource.Start(RegistryActivitySource.UploadCommit, repository, digest);
            var completed = RegistryActivitySource.Finish(activity, await CompleteCoreAsync(repository, started.Value.Id, digest, rangeStart: null, body, verified, cancellationToken).ConfigureAwait(false));
            pushed = completed.IsSuccess;
            return completed;
        }
        finally
        {
            if (!pushed)
            {
                await DiscardAsync(started.Value.Id).ConfigureAwait(false);
            }
        }
    }

    // Not cancellable: it runs when the request was cancelled too.
    private async ValueTask DiscardAsync(string uploadId) => await EndAsync(uploadId, CancellationToken.None).ConfigureAwait(false);

    // Drops the session's bytes (first: on a full disk that gives the space back before the metadata store writes),
    // then ends its row whatever its state (a writer still appending is refused when it records its append). True for
    // the one call that ended it.
    private async ValueTask<bool> EndAsync(string uploadId, CancellationToken cancellationToken)
    {
        await _uploads.DeleteAsync(uploadId, CancellationToken.None).ConfigureAwait(false);
        var ended = await _sessions.EndUploadSessionAsync(uploadId, length: null, cancellationToken).ConfigureAwait(false) == UploadCommitStatus.Committed;
        _hashes.Forget(uploadId);
        if (ended)
        {
            _metrics?.UploadsEnded();
        }

        return ended;
    }

    /// <summary>
    /// Links blob <paramref name="digest"/> into <paramref name="repository"/> without uploading it: from
    /// <paramref name="from"/> when the blob is linked there, or, without <paramref name="from"/>, from anywhere in the
    /// registry when <see cref="RegistryOptions.MountWithoutFrom"/> is on. Returns false when it cannot be mounted (the
    /// caller then starts a normal upload, as the spec asks). The caller must have checked pull access to
    /// <paramref name="from"/>.
    /// </summary>
    public async ValueTask<RegistryResult<bool>> MountAsync(string repository, string digest, string? from, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.BlobMount, repository, digest);
        return RegistryActivitySource.Finish(activity, await MountCoreAsync(repository, digest, from, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<bool>> MountCoreAsync(string repository, string digest, string? from, CancellationToken cancellationToken)
    {
        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (Check.Digest(digest, out var parsed) is not null)
        {
            return false;
        }

        var mountable = from is null
            ? _options.Value.MountWithoutFrom
            : Check.Name(from, out var source) is null && await _metadata.IsBlobLinkedAsync(source, parsed, cancellationToken).ConfigureAwait(false);
        if (!mountable || await _blobs.GetSizeAsync(parsed, cancellationToken).ConfigureAwait(false) is not { } size)
        {
            return false;
        }

        // Refused while a collector deletes the bytes; once linked, no collection deletes them, but one may have
        // deleted them between the check above and the link. Either way the client uploads instead.
        return await _metadata.LinkBlobAsync(name, parsed, size, cancellationToken).ConfigureAwait(false)
            && await _blobs.GetSizeAsync(parsed, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Cancels the session and discards what it received.</summary>
    public async ValueTask<RegistryResult<bool>> CancelAsync(string repository, string uploadId, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } error)
        {
            return error;
        }

        var session = await FindLiveSessionAsync(name, uploadId, cancellationToken).ConfigureAwait(false);
        return session is not null && await EndAsync(session.Id, cancellationToken).ConfigureAwait(false) ? true : RegistryError.UploadUnknown();
    }

    /// <summary>
    /// Removes every session older than <see cref="RegistryOptions.UploadSessionLifetime"/>, and the bytes of any that
    /// a crash left without a row; returns how many sessions ended.
    /// </summary>
    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await foreach (var session in _sessions.ListUploadSessionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsExpired(session) && await EndAsync(session.Id, cancellationToken).ConfigureAwait(false))
            {
                purged++;
            }
        }

        await foreach (var bytes in _uploads.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsExpired(bytes))
            {
                await _uploads.DeleteAsync(bytes.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return purged;
    }

    // Counts live sessions up to the limit only, so a busy registry does not list every session per POST. The store is
    // the truth (several instances may share it); an expired session no longer counts.
    private async ValueTask<int> CountSessionsAsync(int limit, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var session in _sessions.ListUploadSessionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!IsExpired(session) && ++count >= limit)
            {
                break;
            }
        }

        return count;
    }

    private bool IsExpired(UploadSession session) =>
        _time.GetUtcNow() - session.StartedAt > _options.Value.UploadSessionLifetime;

    private async ValueTask<UploadSession?> FindLiveSessionAsync(RepositoryName repository, string uploadId, CancellationToken cancellationToken)
    {
        var session = await _sessions.GetUploadSessionAsync(uploadId, cancellationToken).ConfigureAwait(false);
        return session is not null && session.Repository == repository && !IsExpired(session) ? session : null;
    }

    private async ValueTask<RegistryResult<UploadSession>> AppendToSessionAsync(UploadSession session, long? rangeStart, PipeReader body, CancellationToken cancellationToken)
    {
        if (rangeStart is { } start && start != session.Length)
        {
            return RegistryError.UploadOutOfOrder(session.Length);
        }

        var owner = NewOwner();
        switch (await _sessions.LeaseUploadSessionAsync(session.Id, session.Length, owner, WriterLease, cancellationToken).ConfigureAwait(false))
        {
            case UploadWriteStatus.Opened:
                return await WriteLeasedAsync(session, owner, body, cancellationToken).ConfigureAwait(false);
            case UploadWriteStatus.OffsetMismatch:
                var current = await _sessions.GetUploadSessionAsync(session.Id, cancellationToken).ConfigureAwait(false);
                return current is null ? RegistryError.UploadUnknown() : RegistryError.UploadOutOfOrder(current.Length);
            case UploadWriteStatus.Busy:
                return Busy();
            default:
                return RegistryError.UploadUnknown();
        }
    }

    private static string NewOwner() => Guid.NewGuid().ToString("N");

    // Under owner's lease, taken at the session's length: appends the body and records the new length.
    private async ValueTask<RegistryResult<UploadSession>> WriteLeasedAsync(UploadSession session, string owner, PipeReader body, CancellationToken cancellationToken)
    {
        // Whatever happens while writing, what the byte store holds afterwards is recorded (a body cut short counts up
        // to where it was written, as the client is told by the session's Range), and the lease is released.
        var write = new LeasedWrite(session.Length);
        try
        {
            var failed = await WriteAsync(session, body, write, cancellationToken).ConfigureAwait(false);
            var recorded = await _sessions.AdvanceUploadSessionAsync(session.Id, owner, session.Length, write.Length, CancellationToken.None).ConfigureAwait(false);
            if (failed is not null || !recorded)
            {
                write.Hasher?.Dispose();
                return failed ?? RegistryError.UploadInvalid("another request took this upload over while this one was writing");
            }

            _hashes.Keep(session.Id, write.Hasher!);
            return session with { Length = write.Length };
        }
        catch
        {
            write.Hasher?.Dispose();
            await RecordAfterFailureAsync(session, owner, write.Length).ConfigureAwait(false);
            throw;
        }
    }

    // After a write that threw (a client gone mid-body, a full disk): records what the store holds if the metadata
    // store takes it. If it fails too (on a full disk it may), the request's own failure is what the caller must see;
    // the lease then expires, and the bytes it did not record are overwritten by the next writer.
    private async ValueTask RecordAfterFailureAsync(UploadSession session, string owner, long length)
    {
        try
        {
            await _sessions.AdvanceUploadSessionAsync(session.Id, owner, session.Length, length, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Deliberately not thrown: see above.
        }
    }

    private static RegistryError Busy() => RegistryError.UploadInvalid("another request is writing to this upload");

    // Why the byte store refused to open a writer; null when it opened one.
    private static RegistryError? OpenFailure(UploadWriteStatus status) => status switch
    {
        UploadWriteStatus.Opened => null,
        UploadWriteStatus.Busy => Busy(),
        _ => RegistryError.UploadUnknown(),
    };

    // Under the session's lease: appends the body at the session's length through the running hash (HashedToAsync).
    // Null when written; the error otherwise (then the lease holder records what
    // the store holds and drops the hasher).
    private async ValueTask<RegistryError?> WriteAsync(UploadSession session, PipeReader body, LeasedWrite write, CancellationToken cancellationToken)
    {
        var (status, writer) = await _uploads.OpenWriterAsync(session.Id, session.Length, cancellationToken).ConfigureAwait(false);
        if (OpenFailure(status) is { } refused)
        {
            return refused;
        }

        var openWriter = writer!;
        await using (openWriter.ConfigureAwait(false))
        {
            try
            {
                write.Hasher = await HashedToAsync(session, DigestAlgorithm.Sha256, cancellationToken).ConfigureAwait(false);
                return write.Hasher is null
                    ? RegistryError.UploadUnknown()
                    : await CopyAsync(body, openWriter, write.Hasher, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                write.Length = openWriter.Length;
            }
        }
    }

    // What a leased PATCH wrote: the session's length after it, and the running hash over exactly those bytes.
    private sealed class LeasedWrite(long length)
    {
        public long Length { get; set; } = length;

        public DigestHasher? Hasher { get; set; }
    }

    // Write and hash each slice of at most 256 KiB; the hasher sees exactly what the writer wrote. From 64 KiB up the
    // write runs on a thread-pool thread while this one hashes (OffloadedWrite, no allocation per slice): the file
    // store writes synchronously, and hashing after writing kept one core busy while the other waited, above all at
    // the end of each PATCH, when the client waits for the answer (1 GiB in 16 MiB PATCHes, 4 runs each:
    // 0.75-0.87 → 0.85-0.99 GB/s; monolithic 0.80-0.89 → 0.88-1.01). Smaller slices (small blobs) are written inline:
    // the hop would cost more than it saves. Each slice is consumed as soon as it is done, so Kestrel, which stops
    // receiving while its request buffer (1 MiB by default) is full, keeps filling the pipe meanwhile: consuming whole
    // reads of up to 1 MiB stalled the receive for the hash and write of each (monolithic 512 MiB push on the loaded
    // 2-core machine, medians of 3: 0.11 → 0.24 GB/s).
    private async ValueTask<RegistryError?> CopyAsync(PipeReader body, IUploadWriter writer, DigestHasher? hasher, CancellationToken cancellationToken)
    {
        var maxBytes = _options.Value.MaxBlobBytes;
        OffloadedWrite? offload = null;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (!buffer.IsEmpty)
            {
                if (writer.Length + buffer.Length > maxBytes)
                {
                    body.AdvanceTo(buffer.End);
                    return RegistryError.SizeInvalid($"the blob is larger than the registry's limit of {maxBytes} bytes");
                }

                var slice = buffer.Length > CopySliceBytes ? buffer.Slice(0, CopySliceBytes) : buffer;
                var write = slice.Length >= OffloadMinBytes && hasher is not null
                    ? (offload ??= new OffloadedWrite()).StartAsync(writer, slice, cancellationToken)
                    : writer.WriteAsync(slice, cancellationToken);
                try
                {
                    hasher?.Append(slice);
                }
                finally
                {
                    await write.ConfigureAwait(false); // the slice's memory must outlive the write
                }

                body.AdvanceTo(slice.End);
                if (slice.Length < buffer.Length)
                {
                    continue;
                }
            }
            else
            {
                body.AdvanceTo(buffer.End);
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                return null;
            }
        }
    }

    private async ValueTask<Digest?> FinishHashAsync(UploadSession session, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var hasher = await HashedToAsync(session, algorithm, cancellationToken).ConfigureAwait(false);
        if (hasher is null)
        {
            return null;
        }

        using (hasher)
        {
            return hasher.Finish();
        }
    }

    // The hash of the session's first Length bytes: this instance's running hash, caught up over what other instances
    // appended since it last wrote (behind a balancer that spreads each request, every instance reads only the chunks
    // it did not take: linear in the blob, not quadratic); else the stored prefix hashed once. Null when the store has
    // no such session, or holds fewer bytes than its row.
    private async ValueTask<DigestHasher?> HashedToAsync(UploadSession session, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var hasher = algorithm == DigestAlgorithm.Sha256 ? _hashes.Take(session.Id, session.Length) : null;
        if (hasher?.Length == session.Length)
        {
            return hasher;
        }

        if (session.Length == 0)
        {
            return DigestHasher.Rent(algorithm);
        }

        var content = await _uploads.OpenReadAsync(session.Id, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            hasher?.Dispose();
            return null;
        }

        await using (content.ConfigureAwait(false))
        {
            hasher ??= DigestHasher.Rent(algorithm);
            try
            {
                var from = hasher.Length;
                await content.HashIntoAsync(hasher, from, session.Length, cancellationToken).ConfigureAwait(false);
                _metrics?.UploadRehashed(hasher.Length - from);
                if (hasher.Length == session.Length)
                {
                    return hasher;
                }

                // The store holds fewer bytes than the row recorded (a block that failed after its PATCH was answered):
                // the upload is lost, not the client's bytes wrong, so it is unknown rather than of another digest.
                hasher.Dispose();
                return null;
            }
            catch
            {
                hasher.Dispose();
                throw;
            }
        }
    }
}
