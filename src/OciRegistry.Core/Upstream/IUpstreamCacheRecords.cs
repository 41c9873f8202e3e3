using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Upstream;

/// <summary>
/// What a pull-through cache remembers beside a repository's metadata: when each manifest was last pulled (what
/// eviction orders by) and when each tag was last checked at the upstream (so a restart does not ask again at once).
/// </summary>
/// <remarks>
/// A metadata store implements this beside <c>IMetadataStore</c> so the records live in the same database and are
/// shared by every instance using it; <see cref="InMemoryUpstreamCacheRecords"/> serves stores that do not. Times are
/// the caller's: a record only moves forward, so instances with slightly different clocks never make content look
/// older than one of them saw it.
/// </remarks>
public interface IUpstreamCacheRecords
{
    /// <summary>Records that <paramref name="digest"/> was pulled from <paramref name="repository"/> at <paramref name="pulledAt"/> (kept when an earlier time is recorded later).</summary>
    ValueTask RecordPullAsync(RepositoryName repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken = default);

    /// <summary>Every pull recorded for <paramref name="repository"/>, in digest order.</summary>
    ValueTask<IReadOnlyList<PullRecord>> ListPullsAsync(RepositoryName repository, CancellationToken cancellationToken = default);

    /// <summary>Drops the pull record of <paramref name="digest"/> (the content was evicted); false when there was none.</summary>
    ValueTask<bool> ForgetPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="tag"/> was checked at the upstream at <paramref name="checkedAt"/> (kept when an earlier time is recorded later).</summary>
    ValueTask RecordTagCheckAsync(RepositoryName repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken = default);

    /// <summary>When <paramref name="tag"/> was last checked at the upstream, or null when never.</summary>
    ValueTask<DateTimeOffset?> GetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>Drops the check record of <paramref name="tag"/> (its local tag was evicted), so the next pull asks the upstream; false when there was none.</summary>
    ValueTask<bool> ForgetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);
}
