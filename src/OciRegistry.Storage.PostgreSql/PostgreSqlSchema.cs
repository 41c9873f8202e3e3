using Npgsql;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Creates and upgrades the registry's tables in a PostgreSQL database (<c>oci-registry migrate</c>, or at startup), and
/// checks that a database is at the version this binary knows.
/// </summary>
public static class PostgreSqlSchema
{
    /// <summary>The schema version this binary reads and writes.</summary>
    public static int Version => PostgreSqlMigrations.Latest;

    /// <summary>
    /// Brings the database to <see cref="Version"/>: runs every script it has not run yet, each in one transaction with
    /// its version row, under an advisory lock (instances starting together migrate once). Idempotent.
    /// </summary>
    /// <returns>The versions applied now (none when it was current).</returns>
    /// <exception cref="InvalidOperationException">The database is at a newer version than this binary knows.</exception>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, AdvisoryLocks.Migration, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    cancellationToken).ConfigureAwait(false);
                var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                ThrowIfNewer(current);
                var applied = new List<int>();
                for (var version = current + 1; version <= Version; version++)
                {
                    await ExecuteAsync(connection, transaction, PostgreSqlMigrations.Scripts[version - 1], cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version) VALUES ({version})", cancellationToken).ConfigureAwait(false);
                    applied.Add(version);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return applied;
            }
        }
    }

    /// <summary>Throws, saying what to do, unless the database is at <see cref="Version"/>.</summary>
    /// <exception cref="InvalidOperationException">The database has no registry schema, an older one or a newer one.</exception>
    public static async Task EnsureCurrentAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var current = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            ThrowIfNewer(current);
            if (current < Version)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL database {connection.Database} has registry schema version {current}; this oci-registry needs version {Version}. Run `oci-registry migrate` (or set OciRegistry:Metadata:PostgreSql:MigrateOnStartup).");
            }
        }
    }

    private static void ThrowIfNewer(int current)
    {
        if (current > Version)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database has registry schema version {current}, newer than version {Version} that this oci-registry knows: it was migrated by a newer release. Upgrade this instance; it will not read or write a schema it does not know.");
        }
    }

    // 0 when the database has no schema_migrations table yet.
    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = await ScalarAsync<bool>(connection, transaction, "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken).ConfigureAwait(false);
        return exists
            ? await ScalarAsync<int>(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_migrations", cancellationToken).ConfigureAwait(false)
            : 0;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
