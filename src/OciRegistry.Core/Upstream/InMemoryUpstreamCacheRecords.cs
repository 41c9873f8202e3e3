using OciRegistry.Core.References;
using System.Collections.Concurrent;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Upstream;

/// <summary>
/// <see cref="IUpstreamCacheRecords"/> in process memory, lost on exit: for the in-memory store and any metadata store
/// that keeps no records of its own (after a restart every tag is checked again and content counts as pulled at start).
/// </summary>
public sealed class InMemoryUpstreamCacheRecords : IUpstreamCacheRecords
{
    private readonly ConcurrentDictionary<(RepositoryName Repository, Digest Digest), DateTimeOffset> _pulls = new();
    private readonly ConcurrentDictionary<(RepositoryName Repository, string Tag), DateTimeOffset> _tagChecks = new();

    /// <inheritdoc />
    public ValueTask RecordPullAsync(RepositoryName repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken = default)
    {
        _pulls.AddOrUpdate((repository, digest), pulledAt, (_, recorded) => Later(recorded, pulledAt));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PullRecord>> ListPullsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<PullRecord>>(_pulls
            .Where(p => p.Key.Repository == repository)
            .Select(p => new PullRecord(p.Key.Digest, p.Value))
            .OrderBy(p => p.Digest)
            .ToList());

    /// <inheritdoc />
    public ValueTask<bool> ForgetPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_pulls.TryRemove((repository, digest), out _));

    /// <inheritdoc />
    public ValueTask RecordTagCheckAsync(RepositoryName repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken = default)
    {
        _tagChecks.AddOrUpdate((repository, tag), checkedAt, (_, recorded) => Later(recorded, checkedAt));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_tagChecks.TryGetValue((repository, tag), out var checkedAt) ? checkedAt : (DateTimeOffset?)null);

    /// <inheritdoc />
    public ValueTask<bool> ForgetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_tagChecks.TryRemove((repository, tag), out _));

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
