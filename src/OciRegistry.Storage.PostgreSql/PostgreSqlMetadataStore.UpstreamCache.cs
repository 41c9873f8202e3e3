using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// The pull-through cache's records (<see cref="IUpstreamCacheRecords"/>) in the same database, shared by every
/// instance: one statement each, no repository lock (a record only moves forward, whoever writes last).
/// </summary>
public sealed partial class PostgreSqlMetadataStore : IUpstreamCacheRecords
{
    /// <inheritdoc />
    public async ValueTask RecordPullAsync(RepositoryName repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            """
            INSERT INTO upstream_pulls (repository, digest, pulled_at) VALUES ($1, $2, $3)
            ON CONFLICT (repository, digest) DO UPDATE SET pulled_at = greatest(upstream_pulls.pulled_at, excluded.pulled_at)
            """,
            cancellationToken,
            repository,
            digest.ToString(),
            pulledAt).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PullRecord>> ListPullsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ReadAsync(
            "SELECT digest, pulled_at FROM upstream_pulls WHERE repository = $1 ORDER BY digest",
            reader => new PullRecord(Digest.Parse(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1)),
            cancellationToken,
            repository);

    /// <inheritdoc />
    public async ValueTask<bool> ForgetPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM upstream_pulls WHERE repository = $1 AND digest = $2", cancellationToken, repository, digest.ToString()).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async ValueTask RecordTagCheckAsync(RepositoryName repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            """
            INSERT INTO upstream_tag_checks (repository, tag, checked_at) VALUES ($1, $2, $3)
            ON CONFLICT (repository, tag) DO UPDATE SET checked_at = greatest(upstream_tag_checks.checked_at, excluded.checked_at)
            """,
            cancellationToken,
            repository,
            tag,
            checkedAt).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> GetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync(
            "SELECT checked_at FROM upstream_tag_checks WHERE repository = $1 AND tag = $2",
            reader => reader.GetFieldValue<DateTimeOffset>(0),
            cancellationToken,
            repository,
            tag).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async ValueTask<bool> ForgetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM upstream_tag_checks WHERE repository = $1 AND tag = $2", cancellationToken, repository, tag).ConfigureAwait(false) > 0;

    private async ValueTask<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = Command(sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
