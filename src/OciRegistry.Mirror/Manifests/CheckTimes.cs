using OciRegistry.Core.References;
using System.Collections.Concurrent;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Mirror.Manifests;

/// <summary>
/// When each tag was last checked at the upstream: kept in the metadata store (<see cref="IUpstreamCacheRecords"/>) so
/// a restart does not ask again for every tag, and held in memory once read so a check costs no store read.
/// </summary>
internal sealed class CheckTimes(IUpstreamCacheRecords records)
{
    private readonly ConcurrentDictionary<(RepositoryName Repository, string Tag), DateTimeOffset> _checked = new();

    /// <summary>When <paramref name="tag"/> was last checked; null when never.</summary>
    public async ValueTask<DateTimeOffset?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        if (_checked.TryGetValue((repository, tag), out var last))
        {
            return last;
        }

        return await records.GetTagCheckAsync(repository, tag, cancellationToken).ConfigureAwait(false) is { } stored
            ? _checked.GetOrAdd((repository, tag), stored)
            : null;
    }

    public async ValueTask RecordAsync(RepositoryName repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        _checked[(repository, tag)] = checkedAt;
        await records.RecordTagCheckAsync(repository, tag, checkedAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets <paramref name="tag"/>'s check (its local tag was evicted), so its next pull asks the upstream.</summary>
    public async ValueTask ForgetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        _checked.TryRemove((repository, tag), out _);
        await records.ForgetTagCheckAsync(repository, tag, cancellationToken).ConfigureAwait(false);
    }
}
