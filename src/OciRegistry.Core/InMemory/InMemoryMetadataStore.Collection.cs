using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.InMemory;

// The collection state (see IMetadataStore.Collection.cs), under the store's one lock like everything else.
public sealed partial class InMemoryMetadataStore
{
    private readonly SortedSet<Digest> _deleting = [];
    private string? _leaseHolder;
    private DateTimeOffset _leaseExpiresAt;

    /// <inheritdoc />
    public ValueTask<bool> TryAcquireCollectorLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        lock (_lock)
        {
            if (LeaseIsLive() && _leaseHolder != holder)
            {
                return ValueTask.FromResult(false);
            }

            _leaseHolder = holder;
            _leaseExpiresAt = _time.GetUtcNow() + duration;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseCollectorLeaseAsync(string holder, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_leaseHolder == holder)
            {
                _leaseHolder = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> BeginBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_repositories.Values.Any(r => r.BlobLinks.ContainsKey(digest)))
            {
                return ValueTask.FromResult(false);
            }

            _deleting.Add(digest);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask EndBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _deleting.Remove(digest);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Digest>> ListBlobDeletionsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<Digest>>([.. _deleting]);
        }
    }

    private bool LeaseIsLive() => _leaseHolder is not null && _leaseExpiresAt > _time.GetUtcNow();

    // Under the lock. A mark whose collector still holds a live lease refuses the link; one left by a collector that
    // is gone is rolled back, so the link (and the bytes the caller stores next) win.
    private bool IsBeingDeleted(Digest digest)
    {
        if (!_deleting.Contains(digest))
        {
            return false;
        }

        if (LeaseIsLive())
        {
            return true;
        }

        _deleting.Remove(digest);
        return false;
    }
}
