using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// What this instance knows of one session's staging blob: the Azure lease it holds on it (kept between PATCHes, so a
/// run of PATCHes on one instance takes it once), the blob's metadata, and its recorded blocks, staged but committed
/// only when someone needs the bytes readable (a re-hash, a writer cutting into them, the commit).
/// </summary>
/// <remarks>
/// <para>Everything but a writer's own blocks is changed under <see cref="Gate"/>. The state is only trusted while the
/// lease is: another instance that takes the session over breaks it, and then this instance re-reads the block list.</para>
/// <para>Any holder of the lease can commit the recorded blocks, since the block list names them: so the stored prefix
/// becomes readable on demand, wherever the next request lands, without a commit per PATCH.</para>
/// </remarks>
internal sealed class HeldStagingBlob
{
    /// <summary>How long the lease lasts unless renewed: a crashed holder's session is free again after it.</summary>
    internal static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    // A writer reuses a lease renewed more recently than this without asking Azure (it is live unless someone broke
    // it); its first block then finds out, and only then is the lease taken again.
    private static readonly TimeSpan TrustedFor = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private List<StagedBlock>? _blocks;
    private long? _createdAt;

    public HeldStagingBlob(BlockBlobClient blob, IDictionary<string, string>? metadata, TimeProvider time)
    {
        Blob = blob;
        Metadata = metadata;
        _time = time;
    }

    public BlockBlobClient Blob { get; }

    /// <summary>Held while this instance opens, reads, commits or re-takes the session.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The lease this instance holds, or null when it holds none (or lost it).</summary>
    public BlobLeaseClient? Lease { get; private set; }

    /// <summary>The condition every write under <see cref="Lease"/> carries.</summary>
    public BlobRequestConditions Leased => new() { LeaseId = Lease?.LeaseId };

    /// <summary>The writer of this instance that has the session open, if any.</summary>
    public IUploadWriter? Writer { get; set; }

    /// <summary>
    /// The bytes this instance acknowledged and may still be staging, when PATCHes are acknowledged before staging;
    /// <see cref="DrainAsync"/> adds them to the recorded blocks.
    /// </summary>
    public WriteBehindBlocks? Behind { get; set; }

    /// <summary>The bytes the recorded blocks hold; meaningful once loaded.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// The session's bytes when one writer of this instance wrote them all and they are small (a layer, a config): the
    /// commit then writes them to the blob's name itself instead of committing, copying and deleting the staging blob.
    /// </summary>
    public byte[]? Content { get; private set; }

    /// <summary>When <see cref="Lease"/> was last acquired or renewed.</summary>
    public long RenewedAt { get; private set; }

    /// <summary>The session's repository and start, as the staging blob's metadata keeps them; null until read.</summary>
    public IDictionary<string, string>? Metadata { get; private set; }

    /// <summary>
    /// Whether this instance started the session and nothing is stored for it yet: the staging blob is created by the
    /// first writer (a blob pushed whole, <see cref="AzureBlobWriter"/>, never needs one). Another instance may have
    /// created it meanwhile; a request that finds the blob learns so.
    /// </summary>
    public bool IsUnstored { get; private set; }

    private int Committed { get; set; }

    private long CommittedLength { get; set; }

    private bool HasStrays { get; set; }

    /// <summary>Whether a writer may append at <paramref name="offset"/> on what is known, with no request to Azure.</summary>
    public bool IsTrustedAt(long offset) =>
        Lease is not null && _blocks is not null && !HasStrays && (Behind?.Length ?? Length) == offset && _time.GetElapsedTime(RenewedAt) < TrustedFor;

    /// <summary>
    /// Makes sure this instance holds the lease: renews the one it has, else acquires it, breaking another instance's
    /// when <paramref name="breakHeld"/> (the caller holds the session row's lease, so the other holder is idle or stale),
    /// after waiting for <paramref name="beforeBreak"/> if given (the holder may still be staging what it acknowledged).
    /// A lease acquired anew means the blocks must be read again.
    /// </summary>
    public async Task<UploadWriteStatus> LeaseAsync(bool breakHeld, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeBreak = null)
    {
        if (Lease is not null)
        {
            try
            {
                await Lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                RenewedAt = _time.GetTimestamp();
                return UploadWriteStatus.Opened;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                Forget();
                if (e.Status == 404)
                {
                    return UploadWriteStatus.Unknown;
                }
            }
        }

        return await TakeAsync(breakHeld, beforeBreak, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notes that this instance started the session: nothing is stored until its first writer.</summary>
    public void Started() => IsUnstored = true;

    /// <summary>
    /// Creates the staging blob, empty and unleased, with the session's <paramref name="metadata"/>, unless it exists
    /// (another instance's first writer created it): the first writer then takes the lease.
    /// </summary>
    public async Task CreateAsync(IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await Blob.UploadAsync(
                Stream.Null,
                new BlobUploadOptions { Metadata = metadata, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken).ConfigureAwait(false);
            _createdAt = _time.GetTimestamp();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Created by another instance's writer: what it staged is read under the lease.
        }

        Metadata ??= metadata;
        IsUnstored = false;
    }

    /// <summary>Acquires a new lease, replacing the one held, unless it is live (Busy).</summary>
    public Task<UploadWriteStatus> TakeOverAsync(CancellationToken cancellationToken) => TakeAsync(breakHeld: false, beforeBreak: null, cancellationToken);

    /// <summary>Renews the lease now; a writer calls it as it goes.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (Lease is { } lease)
        {
            await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            RenewedAt = _time.GetTimestamp();
        }
    }

    /// <summary>Drops what this instance knew: the lease is no longer trusted and the blocks must be read again.</summary>
    public void Forget()
    {
        Lease = null;
        Behind = null;
        _blocks = null;
        Content = null;
    }

    /// <summary>
    /// Waits until the bytes acknowledged before staging (<see cref="Behind"/>) are staged, and records their blocks; if
    /// one failed, forgets the blocks (not the lease: a lost one is found out when next renewed), so they are read again
    /// and hold less than the session's row.
    /// </summary>
    public async Task DrainAsync()
    {
        if (Behind is not { } behind)
        {
            return;
        }

        Behind = null;
        if (await behind.DrainAsync().ConfigureAwait(false) is { } blocks)
        {
            Append(behind.Lease, blocks, behind.Length, content: null);
        }
        else if (ReferenceEquals(Lease, behind.Lease))
        {
            _blocks = null;
            Content = null;
        }
    }

    /// <summary>Reads the block list (and the metadata, once) unless the blocks are known under the current lease.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_blocks is not null)
        {
            return;
        }

        var listing = Blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken);
        var properties = Metadata is null ? Blob.GetPropertiesAsync(cancellationToken: cancellationToken) : null;
        var chain = BlockChain.Of((await listing.ConfigureAwait(false)).Value);
        if (properties is not null)
        {
            Metadata = (await properties.ConfigureAwait(false)).Value.Metadata;
        }

        _blocks = chain.Blocks;
        Committed = chain.Committed;
        CommittedLength = chain.CommittedLength;
        HasStrays = chain.HasStrays;
        Length = chain.Length;
    }

    /// <summary>
    /// Leaves exactly the recorded blocks up to <paramref name="offset"/>, nothing staged beyond: a block the offset
    /// cuts is read back and staged again, and what lies beyond (a stale or crashed writer's) is discarded by committing
    /// the rest. Costs nothing in the usual case, where the blocks end at the offset and nothing else is staged.
    /// </summary>
    public async Task<UploadWriteStatus> TrimToAsync(long offset, CancellationToken cancellationToken)
    {
        var blocks = _blocks!;
        if (Length < offset)
        {
            return UploadWriteStatus.OffsetMismatch;
        }

        if (Length == offset && !HasStrays)
        {
            return UploadWriteStatus.Opened;
        }

        var kept = 0;
        var keptLength = 0L;
        while (kept < blocks.Count && keptLength + blocks[kept].Size <= offset)
        {
            keptLength += blocks[kept].Size;
            kept++;
        }

        if (keptLength < offset)
        {
            // The cut block must be committed to be read back: staged blocks cannot be read.
            if (kept >= Committed)
            {
                await CommitAsync(kept + 1, cancellationToken).ConfigureAwait(false);
            }

            var count = offset - keptLength;
            var bytes = new byte[count];
            var stream = await AzureBlobStore.OpenRangeAsync(Blob, keptLength, count, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            var id = StagedBlocks.Id(keptLength, Guid.NewGuid());
            await Blob.StageBlockAsync(id, new MemoryStream(bytes, writable: false), new BlockBlobStageBlockOptions { Conditions = Leased }, cancellationToken).ConfigureAwait(false);
            blocks.RemoveRange(kept, blocks.Count - kept);
            blocks.Add(new StagedBlock(id, count));
            kept++;
        }

        await CommitAsync(kept, cancellationToken).ConfigureAwait(false);
        return UploadWriteStatus.Opened;
    }

    /// <summary>
    /// Makes all the recorded blocks readable (a commit only when some are staged, unless <paramref name="always"/>:
    /// a commit also proves the lease still held), returning their length.
    /// </summary>
    public async Task<long> CommitRecordedAsync(CancellationToken cancellationToken, bool always = false)
    {
        var blocks = _blocks!;
        if (always || Committed < blocks.Count || HasStrays || CommittedLength != Length)
        {
            await CommitAsync(blocks.Count, cancellationToken).ConfigureAwait(false);
        }

        return Length;
    }

    /// <summary>
    /// Commits the recorded blocks if they hold exactly <paramref name="length"/> bytes; false when they hold another
    /// number (another writer appended, or the session holds less).
    /// </summary>
    public async Task<bool> CommitExactlyAsync(long length, bool always, CancellationToken cancellationToken)
    {
        if (Length != length)
        {
            return false;
        }

        await CommitRecordedAsync(cancellationToken, always).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Adds what a writer staged after the recorded blocks, if it staged them under the lease still held, with its bytes
    /// when it wrote the whole session and they are small.
    /// </summary>
    public void Append(BlobLeaseClient lease, List<StagedBlock> staged, long length, byte[]? content)
    {
        if (ReferenceEquals(lease, Lease) && _blocks is not null)
        {
            Content = _blocks.Count == 0 ? content : null;
            _blocks.AddRange(staged);
            Length = length;
        }
    }

    // Commits the first count blocks (with the session's metadata, which a block list commit would otherwise clear);
    // every block staged and not named is discarded.
    private async Task CommitAsync(int count, CancellationToken cancellationToken)
    {
        var blocks = _blocks!;
        if (count < blocks.Count)
        {
            Content = null;
        }

        blocks.RemoveRange(count, blocks.Count - count);
        await Blob.CommitBlockListAsync(
            blocks.Select(block => block.Id),
            new CommitBlockListOptions { Metadata = Metadata, Conditions = Leased },
            cancellationToken).ConfigureAwait(false);
        Committed = count;
        CommittedLength = Length = blocks.Sum(block => block.Size);
        HasStrays = false;
    }

    // Acquires a lease of its own; the blocks are then unknown (to be read again) unless this instance created the blob
    // less than a lease ago and took the first lease on it without breaking one: every block is staged under a lease,
    // and any other holder's would still be live, so nothing can be staged yet.
    private async Task<UploadWriteStatus> TakeAsync(bool breakHeld, Func<CancellationToken, Task>? beforeBreak, CancellationToken cancellationToken)
    {
        var (status, lease, first) = await AcquireAsync(breakHeld, beforeBreak, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            IsUnstored = false;
            var fresh = first && _createdAt is { } created && _time.GetElapsedTime(created) < TrustedFor;
            _createdAt = null;
            Lease = lease;
            Behind = null; // staged under the lease lost, if any: none of it can land
            RenewedAt = _time.GetTimestamp();
            _blocks = fresh ? [] : null;
            Content = null;
        }

        return status;
    }

    private async Task<(UploadWriteStatus Status, BlobLeaseClient? Lease, bool First)> AcquireAsync(
        bool breakHeld, Func<CancellationToken, Task>? beforeBreak, CancellationToken cancellationToken)
    {
        var lease = Blob.GetBlobLeaseClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (UploadWriteStatus.Opened, lease, attempt == 0);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return (UploadWriteStatus.Unknown, null, false);
            }
            catch (RequestFailedException e) when (e.Status == 409 && breakHeld && beforeBreak is not null)
            {
                // Asked again once the holder has staged what it acknowledged (or the wait ran out): it may have let go.
                await beforeBreak(cancellationToken).ConfigureAwait(false);
                beforeBreak = null;
            }
            catch (RequestFailedException e) when (e.Status == 409 && breakHeld && attempt < 4)
            {
                await BreakAsync(Blob, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return (UploadWriteStatus.Busy, null, false);
            }
        }
    }

    /// <summary>Ends whoever's lease is on <paramref name="blob"/> at once; its holder's next write fails with 412.</summary>
    internal static async Task BreakAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // Released or deleted meanwhile: the caller's next attempt answers.
        }
    }
}
