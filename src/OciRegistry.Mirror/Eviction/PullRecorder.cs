using OciRegistry.Core.References;
using System.Collections.Concurrent;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Mirror.Eviction;

/// <summary>
/// Records manifest pulls for eviction at most once per <see cref="Resolution"/> per manifest and instance: a hot image
/// pulled by every node costs one metadata write a minute, not one per pull, and eviction ages are hours or days.
/// </summary>
internal sealed class PullRecorder(IUpstreamCacheRecords records, TimeProvider time)
{
    /// <summary>How stale a recorded pull time may be.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(RepositoryName Repository, Digest Digest), DateTimeOffset> _written = new();

    public async ValueTask RecordAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (repository, digest);
        if (_written.TryGetValue(key, out var written) && now - written < Resolution)
        {
            return;
        }

        _written[key] = now;
        await records.RecordPullAsync(repository, digest, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets an evicted manifest, so its next pull is recorded at once.</summary>
    public async ValueTask ForgetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        _written.TryRemove((repository, digest), out _);
        await records.ForgetPullAsync(repository, digest, cancellationToken).ConfigureAwait(false);
    }
}
