using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Upstream;

namespace OciRegistry.Storage.Sqlite;

/// <summary>The pull-through cache's records (<see cref="IUpstreamCacheRecords"/>) in the same database file.</summary>
public sealed partial class SqliteMetadataStore : IUpstreamCacheRecords
{
    // Created on first use rather than at open, so a registry that mirrors nothing never has them.
    private const string CreateUpstreamTables = """
        CREATE TABLE IF NOT EXISTS upstream_pulls (
            repository TEXT NOT NULL,
            digest TEXT NOT NULL,
            pulled_at INTEGER NOT NULL,
            PRIMARY KEY (repository, digest)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS upstream_tag_checks (
            repository TEXT NOT NULL,
            tag TEXT NOT NULL,
            checked_at INTEGER NOT NULL,
            PRIMARY KEY (repository, tag)
        ) WITHOUT ROWID;
        """;

    private volatile bool _upstreamTablesCreated;

    /// <inheritdoc />
    public ValueTask RecordPullAsync(RepositoryName repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken = default)
    {
        UpstreamWrite((connection, transaction) => Execute(
            connection,
            transaction,
            """
            INSERT INTO upstream_pulls (repository, digest, pulled_at) VALUES ($repository, $digest, $at)
            ON CONFLICT (repository, digest) DO UPDATE SET pulled_at = max(pulled_at, excluded.pulled_at)
            """,
            repository,
            digest,
            ("$at", pulledAt.ToUnixTimeMilliseconds())));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PullRecord>> ListPullsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        EnsureUpstreamTables();
        return ValueTask.FromResult(Read<IReadOnlyList<PullRecord>>(connection =>
        {
            using var command = Command(connection, null, "SELECT digest, pulled_at FROM upstream_pulls WHERE repository = $repository ORDER BY digest", repository, default);
            using var reader = command.ExecuteReader();
            var pulls = new List<PullRecord>();
            while (reader.Read())
            {
                pulls.Add(new PullRecord(Digest.Parse(reader.GetString(0)), FromMilliseconds(reader.GetInt64(1))));
            }

            return pulls;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> ForgetPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(UpstreamWrite((connection, transaction) => Execute(
            connection, transaction, "DELETE FROM upstream_pulls WHERE repository = $repository AND digest = $digest", repository, digest)) > 0);

    /// <inheritdoc />
    public ValueTask RecordTagCheckAsync(RepositoryName repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken = default)
    {
        UpstreamWrite((connection, transaction) => Execute(
            connection,
            transaction,
            """
            INSERT INTO upstream_tag_checks (repository, tag, checked_at) VALUES ($repository, $tag, $at)
            ON CONFLICT (repository, tag) DO UPDATE SET checked_at = max(checked_at, excluded.checked_at)
            """,
            repository,
            default,
            ("$tag", tag),
            ("$at", checkedAt.ToUnixTimeMilliseconds())));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        EnsureUpstreamTables();
        return ValueTask.FromResult(Read(connection =>
        {
            using var command = Command(connection, null, "SELECT checked_at FROM upstream_tag_checks WHERE repository = $repository AND tag = $tag", repository, default, ("$tag", tag));
            return command.ExecuteScalar() is long at ? FromMilliseconds(at) : (DateTimeOffset?)null;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> ForgetTagCheckAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(UpstreamWrite((connection, transaction) => Execute(
            connection, transaction, "DELETE FROM upstream_tag_checks WHERE repository = $repository AND tag = $tag", repository, default, ("$tag", tag))) > 0);

    private T UpstreamWrite<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, T> write)
    {
        EnsureUpstreamTables();
        return Write(write);
    }

    // Idempotent, so two threads creating at once are harmless.
    private void EnsureUpstreamTables()
    {
        if (!_upstreamTablesCreated)
        {
            Write((connection, transaction) => Execute(connection, transaction, CreateUpstreamTables));
            _upstreamTablesCreated = true;
        }
    }
}
