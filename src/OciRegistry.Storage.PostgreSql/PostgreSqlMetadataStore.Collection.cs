using Npgsql;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

// The collection state (see IMetadataStore.Collection.cs). A mark checks every repository's links, and a link checks
// the mark, both under the digest's advisory lock, so of a mark and a link racing on any two instances one sees the
// other. The lease is one row, taken with an upsert whose condition PostgreSQL checks under the row's lock.
public sealed partial class PostgreSqlMetadataStore
{
    // A link that a mark refuses; the caller's batch first rolls back a mark no live lease protects (AddDeletionCheck).
    private const string LinkUnlessDeleting = """
        INSERT INTO blob_links (repository, digest, linked_at, size)
        SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM blob_deletions WHERE digest = $2)
        ON CONFLICT (repository, digest) DO UPDATE SET linked_at = excluded.linked_at, size = excluded.size
        """;

    /// <inheritdoc />
    public async ValueTask<bool> TryAcquireCollectorLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var now = Now();
        var command = Command(
            """
            INSERT INTO collector_lease (id, holder, expires_at) VALUES (1, $1, $2)
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE collector_lease.holder = excluded.holder OR collector_lease.expires_at <= $3
            """,
            holder,
            now + duration,
            now);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask ReleaseCollectorLeaseAsync(string holder, CancellationToken cancellationToken = default)
    {
        var command = Command("DELETE FROM collector_lease WHERE holder = $1", holder);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> BeginBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default) =>
        WriteBlobAsync(
            digest,
            cancellationToken,
            batch => Add(
                batch,
                """
                INSERT INTO blob_deletions (digest, since) SELECT $1, $2
                WHERE NOT EXISTS (SELECT 1 FROM blob_links WHERE digest = $1)
                ON CONFLICT (digest) DO UPDATE SET since = blob_deletions.since
                """,
                digest.ToString(),
                Now()),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public async ValueTask EndBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default) =>
        await WriteBlobAsync(digest, cancellationToken, batch => Add(batch, "DELETE FROM blob_deletions WHERE digest = $1", digest.ToString()), _ => true).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Digest>> ListBlobDeletionsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("SELECT digest FROM blob_deletions ORDER BY digest", reader => Digest.Parse(reader.GetString(0)), cancellationToken);

    // After the digest's lock: a mark no live lease protects is rolled back (its collector is gone), so the statements
    // that follow in the batch see only a mark a running collector holds.
    private static void AddDeletionCheck(NpgsqlBatch batch, string digest, DateTimeOffset now)
    {
        Add(batch, AdvisoryLocks.Blob, digest);
        Add(
            batch,
            "DELETE FROM blob_deletions WHERE digest = $1 AND NOT EXISTS (SELECT 1 FROM collector_lease WHERE expires_at > $2)",
            digest,
            now);
    }

    // One transaction under the digest's lock.
    private async ValueTask<T> WriteBlobAsync<T>(Digest digest, CancellationToken cancellationToken, Action<NpgsqlBatch> write, Func<NpgsqlBatch, T> result)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    Add(batch, AdvisoryLocks.Blob, digest.ToString());
                    write(batch);
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result(batch);
                }
            }
        }
    }
}
