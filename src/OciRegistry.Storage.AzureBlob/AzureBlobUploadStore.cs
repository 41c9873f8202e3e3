using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Digests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.ObjectStorage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// An <see cref="IUploadStore"/> in the container of an <see cref="AzureBlobStore"/>: each session a block blob
/// <c>uploads/&lt;id&gt;</c> (its repository and start in the blob's metadata) created by its first writer, each
/// PATCH's bytes staged as blocks, before the PATCH is answered or, when PATCHes are acknowledged before staging, in
/// the background (<see cref="WriteBehindBlocks"/>). The block list is committed lazily, by whichever instance needs the stored prefix readable (a re-hash on an instance
/// without the running hash, a writer cutting into it) and at the commit, which then copies the staging blob to
/// <c>blobs/&lt;digest&gt;</c> server-side and deletes it.
/// </summary>
/// <remarks>
/// <para>One writer at a time, on every instance: writers and commits hold the staging blob's Azure lease (60 s,
/// renewed as a writer goes) and send every block, block list and delete with it. An instance keeps the lease between
/// PATCHes (<see cref="HeldStagingBlob"/>), so a run of PATCHes on one instance acquires it once and each PATCH of one
/// block is one request. Another instance that needs the session (its caller holds the session row's lease, so this
/// holder is idle or stale) breaks the lease and acquires its own: every later request of the previous holder fails, so
/// a stale writer can never change the bytes. Within one instance a second writer or a commit while a writer is open is
/// <see cref="UploadWriteStatus.Busy"/> unless that writer's lease was lost.</para>
/// <para>Staged blocks carry their offset and the writer's random id, so the recorded ones are the committed blocks and
/// the chain of staged blocks after them (<see cref="BlockChain"/>). A writer opened below what is stored keeps the
/// blocks up to its offset; a block the offset cuts is read back and staged again, and everything beyond it (a stale or
/// crashed writer's) is discarded with a commit.</para>
/// <para>See STORAGE.md, "The upload contract on object storage".</para>
/// </remarks>
public sealed class AzureBlobUploadStore : IUploadStore, IAsyncDisposable, IDisposable
{
    // Past this many sessions held by this instance, the idle ones whose lease has run out (ended elsewhere, or
    // abandoned) are forgotten.
    private const int HeldBound = 4096;

    // How long an instance waits for another one's acknowledged bytes to be staged before it breaks that one's lease: a
    // live instance stages them within a few requests to Azure; a dead one never does.
    private static readonly TimeSpan StagingWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstStagingPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LastStagingPoll = TimeSpan.FromMilliseconds(100);

    private const string RepositoryKey = "repository";
    private const string StartedAtKey = "startedat";

    private readonly AzureBlobStore _blobs;
    private readonly BlobContainerClient _container;
    private readonly TimeProvider _timeProvider;
    private readonly IUploadSessionStore? _sessions;
    private readonly ConcurrentDictionary<string, HeldStagingBlob> _held = new(StringComparer.Ordinal);
    private readonly bool _acknowledgeBeforeStaging;

    /// <summary>Keeps upload sessions in <paramref name="blobs"/>' container and commits them into it.</summary>
    /// <param name="blobs">The blob store committed uploads go to.</param>
    /// <param name="timeProvider">The clock stamping <see cref="UploadSession.StartedAt"/> and timing lease renewals; the system clock when omitted.</param>
    /// <param name="sessions">
    /// The sessions' rows, shared by the instances: where the first writer of a session another instance started learns
    /// its repository and start, to create the staging blob. Without them (one instance) such a session is unknown here.
    /// </param>
    /// <param name="acknowledgePatchesBeforeStaging">
    /// Whether a PATCH after a session's first on this instance is answered once its bytes are received and hashed, and
    /// staged in the background (<see cref="AzureBlobStorageOptions.AcknowledgePatchesBeforeStaging"/>).
    /// </param>
    public AzureBlobUploadStore(
        AzureBlobStore blobs,
        TimeProvider? timeProvider = null,
        IUploadSessionStore? sessions = null,
        bool acknowledgePatchesBeforeStaging = false)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _container = blobs.Container;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _sessions = sessions;
        _acknowledgeBeforeStaging = acknowledgePatchesBeforeStaging;
    }

    /// <summary>
    /// Stages every byte this instance acknowledged and has not staged yet (with
    /// <see cref="AzureBlobStorageOptions.AcknowledgePatchesBeforeStaging"/>): a host that stops, as in a rolling
    /// update, disposes its services once its requests are done, and the uploads then go on from another instance.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var held in _held.Values)
        {
            if (held.Behind is not null)
            {
                await DrainAsync(held, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a host that disposes its services synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    /// <remarks>
    /// Sends nothing to Azure: the staging blob is created by the session's first writer, so a blob pushed whole (a
    /// layer, a config) costs no staging blob at all. Until then this instance keeps the session's metadata, and
    /// another instance learns it from the session's row.
    /// </remarks>
    public ValueTask<UploadSession> CreateAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, _timeProvider.GetUtcNow(), 0);
        Hold(session.Id, MetadataOf(session)).Started();
        return ValueTask.FromResult(session);
    }

    /// <inheritdoc />
    /// <remarks>The length counts the staged blocks that continue the committed ones.</remarks>
    public async ValueTask<UploadSession?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return null;
        }

        if (_held.TryGetValue(id, out var pending) && pending.Behind is not null)
        {
            await DrainAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var blob = StagingBlob(id);
            var listing = blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken);
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return SessionOf(id, properties.Value.Metadata, BlockChain.Of((await listing.ConfigureAwait(false)).Value).Length);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return _held.TryGetValue(id, out var held) && held.IsUnstored ? SessionOf(id, held.Metadata, 0) : null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<(UploadWriteStatus Status, IUploadWriter? Writer)> OpenWriterAsync(string id, long offset, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return (UploadWriteStatus.Unknown, null);
        }

        var held = Hold(id, metadata: null);
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.Writer is null && held.IsTrustedAt(offset))
            {
                if (!_acknowledgeBeforeStaging)
                {
                    return (UploadWriteStatus.Opened, held.Writer = new AzureBlobUploadWriter(held, offset, leaseConfirmed: false, _timeProvider));
                }

                // Acknowledged before staging. While this instance still stages bytes it acknowledged, no other instance
                // breaks its lease (StagedTo waits for them); once all are staged, one may have, and recorded nothing:
                // the lease is renewed before more bytes are acknowledged under it.
                if (held.Behind is not { HasFailed: true }
                    && (held.Behind is { IsStaging: true } || await TryRenewAsync(held, cancellationToken).ConfigureAwait(false)))
                {
                    var blocks = held.Behind ??= new WriteBehindBlocks(held.Blob, held.Lease!, offset, _timeProvider);
                    return (UploadWriteStatus.Opened, held.Writer = new WriteBehindUploadWriter(held, blocks, _timeProvider));
                }
            }

            if (held.Writer is null)
            {
                await held.DrainAsync().ConfigureAwait(false);
            }

            // A session nobody wrote to has no staging blob yet: its first writer creates it.
            var status = held.IsUnstored && offset == 0
                ? UploadWriteStatus.Unknown
                : await LeaseAsync(held, cancellationToken, StagedTo(held, offset)).ConfigureAwait(false);
            if (status == UploadWriteStatus.Unknown && offset == 0 && await MetadataOfAsync(held, id, cancellationToken).ConfigureAwait(false) is { } metadata)
            {
                await held.CreateAsync(metadata, cancellationToken).ConfigureAwait(false);
                status = await LeaseAsync(held, cancellationToken, beforeBreak: null).ConfigureAwait(false);
            }

            if (status == UploadWriteStatus.Opened)
            {
                await held.LoadAsync(cancellationToken).ConfigureAwait(false);
                status = await held.TrimToAsync(offset, cancellationToken).ConfigureAwait(false);
            }

            return status == UploadWriteStatus.Opened
                ? (status, held.Writer = new AzureBlobUploadWriter(held, offset, leaseConfirmed: true, _timeProvider))
                : (status, null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            Release(id, held);
            return (UploadWriteStatus.Unknown, null);
        }
        finally
        {
            held.Gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The bytes are staged as blocks of <c>blobs/&lt;digest&gt;</c> itself, invisible until the commit puts their block
    /// list (or, for a blob of one block, the whole blob in one request): no staging blob is written and nothing is
    /// copied. The session is not touched until the commit deletes it: the caller's row, which it ended at length 0
    /// before committing, is what fences a PATCH that raced this writer.
    /// </remarks>
    public ValueTask<(UploadWriteStatus Status, IBlobWriter? Writer)> OpenBlobWriterAsync(string id, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return ValueTask.FromResult<(UploadWriteStatus, IBlobWriter?)>((UploadWriteStatus.Unknown, null));
        }

        IBlobWriter writer = new AzureBlobWriter(
            _blobs.BlockBlobOf(digest),
            async () => await EndUnwrittenAsync(id).ConfigureAwait(false),
            length => _blobs.Recent.Written(digest, length));
        return ValueTask.FromResult<(UploadWriteStatus, IBlobWriter?)>((UploadWriteStatus.Opened, writer));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Commits the recorded blocks first if some are only staged. On the instance of an open writer that is its re-hash,
    /// before it stages anything (a commit discards every staged block it does not name).
    /// </remarks>
    public async ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return null;
        }

        var held = Hold(id, metadata: null);
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        long length;
        try
        {
            if (held.Writer is null)
            {
                await held.DrainAsync().ConfigureAwait(false);
                switch (await held.LeaseAsync(breakHeld: true, cancellationToken, StagedToRecordedLength(held, id)).ConfigureAwait(false))
                {
                    case UploadWriteStatus.Unknown when held.IsUnstored:
                        // Started here and written nowhere: another instance's first writer would have created the blob.
                        return new StreamedBlobContent(0, (_, _, _) => Task.FromResult(Stream.Null));
                    case UploadWriteStatus.Unknown:
                        Release(id, held);
                        return null;
                    case UploadWriteStatus.Busy:
                        throw new IOException($"upload {id} is held by another writer");
                }
            }

            await held.LoadAsync(cancellationToken).ConfigureAwait(false);
            length = await held.CommitRecordedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            Release(id, held);
            return null;
        }
        finally
        {
            held.Gate.Release();
        }

        var blob = held.Blob;
        return new StreamedBlobContent(length, (offset, count, token) => AzureBlobStore.OpenRangeAsync(blob, offset, count, token));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Under the staging blob's lease, so no writer changes it meanwhile: commits exactly the recorded blocks that hold
    /// <paramref name="length"/> bytes, copies the staging blob to <c>blobs/&lt;digest&gt;</c> server-side (overwriting,
    /// so a bad copy is repaired) and deletes it.
    /// </remarks>
    public async ValueTask<UploadCommitStatus> CommitAsync(string id, Digest digest, long length, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return UploadCommitStatus.Unknown;
        }

        var held = Hold(id, metadata: null);
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.Writer is null)
            {
                await held.DrainAsync().ConfigureAwait(false);
            }

            if (held.IsUnstored && length == 0)
            {
                await PutAtDigestAsync(digest, [], cancellationToken).ConfigureAwait(false);
                Release(id, held);
                return UploadCommitStatus.Committed;
            }

            // A lease this instance renewed moments ago is trusted: the block list commit, sent under it, proves it.
            var trusted = held.Writer is null && held.IsTrustedAt(length);
            if (trusted && held.Content is { } content && await TryPutWholeAsync(held, content, digest).ConfigureAwait(false))
            {
                Release(id, held);
                return UploadCommitStatus.Committed;
            }

            trusted = trusted && held.IsTrustedAt(length); // unless the kept bytes found the lease lost
            if (!trusted || !await TryCommitTrustedAsync(held, length, cancellationToken).ConfigureAwait(false))
            {
                switch (await LeaseAsync(held, cancellationToken, StagedTo(held, length)).ConfigureAwait(false))
                {
                    case UploadWriteStatus.Busy:
                        return UploadCommitStatus.Busy;
                    case UploadWriteStatus.Unknown:
                        // No staging blob: a session started elsewhere that nobody wrote to is empty.
                        Release(id, held);
                        if (length == 0)
                        {
                            await PutAtDigestAsync(digest, [], cancellationToken).ConfigureAwait(false);
                            return UploadCommitStatus.Committed;
                        }

                        return UploadCommitStatus.Unknown;
                }

                await held.LoadAsync(cancellationToken).ConfigureAwait(false);
                if (!await held.CommitExactlyAsync(length, always: false, cancellationToken).ConfigureAwait(false))
                {
                    return UploadCommitStatus.LengthMismatch;
                }
            }

            await CopyAsync(held.Blob, _blobs.BlobOf(digest), cancellationToken).ConfigureAwait(false);
            _blobs.Recent.Written(digest, length);
            await held.Blob.DeleteAsync(conditions: held.Leased, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            Release(id, held);
            return UploadCommitStatus.Committed;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            Release(id, held);
            return UploadCommitStatus.Unknown;
        }
        finally
        {
            held.Gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Does not wait for an open writer: it breaks the writer's lease, so the writer's next request fails.</remarks>
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AzureBlobNames.IsUploadId(id))
        {
            return false;
        }

        // Under the lease this instance holds, if any (one request); else breaking whoever holds one. A session started
        // here may have been written on another instance: its staging blob is looked for all the same.
        var conditions = _held.TryRemove(id, out var held) && held.Lease is not null ? held.Leased : null;
        if (held is { Writer: null, Behind: { } behind })
        {
            // Its blocks in flight must not land after the delete.
            await behind.DrainAsync().ConfigureAwait(false);
        }

        var blob = StagingBlob(id);
        while (true)
        {
            try
            {
                return (await blob.DeleteIfExistsAsync(conditions: conditions, cancellationToken: cancellationToken).ConfigureAwait(false)).Value
                    || held is { IsUnstored: true };
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && conditions is not null)
            {
                conditions = null;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                await HeldStagingBlob.BreakAsync(blob, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads each session's block list for its length; the sessions this instance started that hold nothing yet come
    /// from its memory (another instance's are known to their rows only).
    /// </remarks>
    public async IAsyncEnumerable<UploadSession> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var options = new GetBlobsOptions { Prefix = AzureBlobNames.UploadPrefix, Traits = BlobTraits.Metadata };
        await foreach (var item in _container.GetBlobsAsync(options, cancellationToken).ConfigureAwait(false))
        {
            var id = item.Name[AzureBlobNames.UploadPrefix.Length..];
            if (AzureBlobNames.IsUploadId(id) && SessionOf(id, item.Metadata, 0) is { } session
                && await LengthAsync(StagingBlob(id), cancellationToken).ConfigureAwait(false) is { } length)
            {
                listed.Add(id);
                yield return session with { Length = length };
            }
        }

        foreach (var (id, held) in _held)
        {
            if (held.IsUnstored && !listed.Contains(id) && SessionOf(id, held.Metadata, 0) is { } session)
            {
                yield return session;
            }
        }
    }

    // Ends a session whose row recorded no bytes, for a blob pushed whole: one started here and written nowhere as far as
    // this instance knows holds nothing, so no request. (Another instance's writer that recorded nothing may have made
    // its staging blob: an orphan, which expiry removes.)
    private async Task EndUnwrittenAsync(string id)
    {
        if (!_held.TryGetValue(id, out var held) || !held.IsUnstored)
        {
            await DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            Release(id, held);
        }
    }

    private BlockBlobClient StagingBlob(string id) => _container.GetBlockBlobClient(AzureBlobNames.Upload(id));

    // This instance's state of the session, made on first use; past the bound, idle sessions whose lease ran out go.
    private HeldStagingBlob Hold(string id, IDictionary<string, string>? metadata)
    {
        if (_held.Count > HeldBound)
        {
            foreach (var (key, held) in _held)
            {
                if (held.Writer is null && _timeProvider.GetElapsedTime(held.RenewedAt) > HeldStagingBlob.LeaseDuration)
                {
                    _held.TryRemove(new(key, held));
                }
            }
        }

        return _held.GetOrAdd(id, static (id, state) => new HeldStagingBlob(state.Store.StagingBlob(id), state.Metadata, state.Store._timeProvider), (Store: this, Metadata: metadata));
    }

    private void Release(string id, HeldStagingBlob held) => _held.TryRemove(new(id, held));

    // A writer or commit of this instance while another writer of it is open takes the session only if that writer's
    // lease was lost; otherwise the lease held is renewed, or acquired (breaking an idle or stale holder's elsewhere,
    // once it has staged what it acknowledged: beforeBreak).
    private static Task<UploadWriteStatus> LeaseAsync(HeldStagingBlob held, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeBreak) =>
        held.Writer is null ? held.LeaseAsync(breakHeld: true, cancellationToken, beforeBreak) : held.TakeOverAsync(cancellationToken);

    // Another instance's bytes acknowledged before staging, up to length: what to wait for before breaking its lease.
    private Func<CancellationToken, Task>? StagedTo(HeldStagingBlob held, long length) =>
        _acknowledgeBeforeStaging ? cancellationToken => WaitForStagedAsync(held.Blob, length, cancellationToken) : null;

    // As StagedTo, up to the length the session's row records (a re-hash knows no length of its own).
    private Func<CancellationToken, Task>? StagedToRecordedLength(HeldStagingBlob held, string id) =>
        _acknowledgeBeforeStaging && _sessions is not null
            ? async cancellationToken =>
            {
                if (await _sessions.GetUploadSessionAsync(id, cancellationToken).ConfigureAwait(false) is { } row)
                {
                    await WaitForStagedAsync(held.Blob, row.Length, cancellationToken).ConfigureAwait(false);
                }
            }
            : null;

    // Another instance holds the session's lease and may still be staging bytes it acknowledged (it stages them a
    // moment after its last PATCH): waits until the staged blocks hold length bytes, or StagingWait has passed (the
    // holder died, and what it did not stage is lost: the caller then finds fewer bytes than the row records).
    private static async Task WaitForStagedAsync(BlockBlobClient blob, long length, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = FirstStagingPoll;
        while (await LengthAsync(blob, cancellationToken).ConfigureAwait(false) < length && Stopwatch.GetElapsedTime(started) < StagingWait)
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LastStagingPoll.Ticks));
        }
    }

    // Renews the lease held, before bytes are acknowledged under it; false if it was lost.
    private static async Task<bool> TryRenewAsync(HeldStagingBlob held, CancellationToken cancellationToken)
    {
        try
        {
            await held.RenewAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    // Under the session's gate: its bytes acknowledged before staging are staged and recorded.
    private static async Task DrainAsync(HeldStagingBlob held, CancellationToken cancellationToken)
    {
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.Writer is null)
            {
                await held.DrainAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            held.Gate.Release();
        }
    }

    // A small session written whole on this instance: its staging blob is deleted under the lease (which proves the
    // bytes kept are still the session's), then the bytes are put at the blob's name, overwriting a bad copy. One
    // request fewer than a commit, a copy and a delete. False when the lease was lost: the caller commits as usual.
    private async Task<bool> TryPutWholeAsync(HeldStagingBlob held, byte[] content, Digest digest)
    {
        try
        {
            await held.Blob.DeleteAsync(conditions: held.Leased, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            held.Forget();
            return false;
        }

        await PutAtDigestAsync(digest, content, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    // Puts verified bytes at the blob's name, overwriting a bad copy.
    private async Task PutAtDigestAsync(Digest digest, byte[] content, CancellationToken cancellationToken)
    {
        await _blobs.BlobOf(digest).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken).ConfigureAwait(false);
        _blobs.Recent.Written(digest, content.Length);
    }

    // The metadata the staging blob is created with: this instance's, if it started the session, else the session's row.
    private async Task<IDictionary<string, string>?> MetadataOfAsync(HeldStagingBlob held, string id, CancellationToken cancellationToken) =>
        held.Metadata ?? (_sessions is not null && await _sessions.GetUploadSessionAsync(id, cancellationToken).ConfigureAwait(false) is { } row
            ? MetadataOf(row)
            : null);

    // Commits the recorded blocks under a trusted lease; false (and the lease forgotten) when it was lost meanwhile.
    private static async Task<bool> TryCommitTrustedAsync(HeldStagingBlob held, long length, CancellationToken cancellationToken)
    {
        try
        {
            return await held.CommitExactlyAsync(length, always: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            held.Forget();
            return false;
        }
    }

    private static async Task<long?> LengthAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return BlockChain.Of((await blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken).ConfigureAwait(false)).Value).Length;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static Dictionary<string, string> MetadataOf(UploadSession session) => new(StringComparer.Ordinal)
    {
        [RepositoryKey] = session.Repository.Value,
        [StartedAtKey] = session.StartedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private static UploadSession? SessionOf(string id, IDictionary<string, string>? metadata, long length) =>
        metadata is not null
        && metadata.TryGetValue(RepositoryKey, out var text)
        && RepositoryName.TryParse(text, out var repository)
        && metadata.TryGetValue(StartedAtKey, out var startedAt)
        && DateTimeOffset.TryParseExact(startedAt, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var started)
            ? new UploadSession(id, repository, started, length)
            : null;

    // A server-side copy: Copy Blob of the staging blob's own URL, which within one account Azure authorizes with the
    // destination's credentials and copies inside the service; awaited, since Azure may complete it asynchronously.
    // Measured on Azurite, 256 MiB: 55-86 ms. With a SAS URL as the source the emulator fetched the bytes over HTTP
    // instead (23-35 s); Put Blob From URL and Put Block From URL it does not implement.
    private static async Task CopyAsync(BlockBlobClient source, BlobClient target, CancellationToken cancellationToken)
    {
        var copy = await target.StartCopyFromUriAsync(source.Uri, new BlobCopyFromUriOptions(), cancellationToken).ConfigureAwait(false);
        await copy.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }
}
