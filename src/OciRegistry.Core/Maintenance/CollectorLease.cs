using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

/// <summary>
/// The collector lease one collection holds in the metadata store (<see cref="IMetadataStore.TryAcquireCollectorLeaseAsync"/>),
/// renewed as the collection goes, so that one collection runs at a time across processes and instances.
/// </summary>
internal sealed class CollectorLease
{
    private readonly IMetadataStore _metadata;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private DateTimeOffset _renewedAt;

    private CollectorLease(IMetadataStore metadata, TimeSpan duration, TimeProvider time)
    {
        _metadata = metadata;
        _duration = duration;
        _time = time;
    }

    /// <summary>Takes the lease; throws <see cref="CollectionInProgressException"/> when another collection holds it.</summary>
    public static async Task<CollectorLease> AcquireAsync(IMetadataStore metadata, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var lease = new CollectorLease(metadata, duration, time);
        if (!await lease.TryRenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new CollectionInProgressException();
        }

        return lease;
    }

    /// <summary>
    /// Renews the lease once a quarter of its duration has passed since the last renewal, so a live collection never
    /// lets it run out; throws <see cref="CollectionInProgressException"/> when another collector took it meanwhile
    /// (this one was stalled past its lease): this collection must stop before it deletes anything more.
    /// </summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _renewedAt >= _duration / 4 && !await TryRenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new CollectionInProgressException("This garbage collection's lease ran out and another collection took it over; this one stopped.");
        }
    }

    /// <summary>Gives the lease up (not cancellable: it runs when the collection was cancelled too).</summary>
    public ValueTask ReleaseAsync() => _metadata.ReleaseCollectorLeaseAsync(_holder, CancellationToken.None);

    private async Task<bool> TryRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!await _metadata.TryAcquireCollectorLeaseAsync(_holder, _duration, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _renewedAt = now;
        return true;
    }
}
