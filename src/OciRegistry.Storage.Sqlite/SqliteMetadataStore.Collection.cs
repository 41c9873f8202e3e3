using Microsoft.Data.Sqlite;
using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.Sqlite;

// The collection state (see IMetadataStore.Collection.cs): each write one IMMEDIATE transaction like the others, so
// a mark and a link of the same digest never both succeed, in this process or another one on the same file.
public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public ValueTask<bool> TryAcquireCollectorLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return ValueTask.FromResult(Write((connection, transaction) =>
        {
            var now = _time.GetUtcNow();
            return Execute(
                connection,
                transaction,
                """
                INSERT INTO collector_lease (id, holder, expires_at) VALUES (1, $holder, $expires)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE collector_lease.holder = excluded.holder OR collector_lease.expires_at <= $now
                """,
                default,
                default,
                ("$holder", holder),
                ("$expires", (now + duration).ToUnixTimeMilliseconds()),
                ("$now", now.ToUnixTimeMilliseconds())) > 0;
        }));
    }

    /// <inheritdoc />
    public ValueTask ReleaseCollectorLeaseAsync(string holder, CancellationToken cancellationToken = default)
    {
        Write((connection, transaction) => Execute(connection, transaction, "DELETE FROM collector_lease WHERE holder = $holder", default, default, ("$holder", holder)));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> BeginBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) =>
        {
            if (Exists(connection, transaction, "SELECT 1 FROM blob_links WHERE digest = $digest", default, digest))
            {
                return false;
            }

            Execute(connection, transaction, "INSERT OR IGNORE INTO blob_deletions (digest, since) VALUES ($digest, $now)", default, digest, ("$now", Now()));
            return true;
        }));

    /// <inheritdoc />
    public ValueTask EndBlobDeletionAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        Write((connection, transaction) => Execute(connection, transaction, "DELETE FROM blob_deletions WHERE digest = $digest", default, digest));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Digest>> ListBlobDeletionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Digest>>(Read(connection =>
            ReadStrings(connection, "SELECT digest FROM blob_deletions ORDER BY digest").Select(d => Digest.Parse(d)).ToList()));

    // In the caller's transaction. A mark whose collector still holds a live lease refuses the link; one left by a
    // collector that is gone (no live lease) is rolled back, so the link (and the bytes the caller stores next) win.
    private static bool IsBeingDeleted(SqliteConnection connection, SqliteTransaction transaction, Digest digest, long now)
    {
        if (!Exists(connection, transaction, "SELECT 1 FROM blob_deletions WHERE digest = $digest", default, digest))
        {
            return false;
        }

        if (Exists(connection, transaction, "SELECT 1 FROM collector_lease WHERE expires_at > $now", default, default, ("$now", now)))
        {
            return true;
        }

        Execute(connection, transaction, "DELETE FROM blob_deletions WHERE digest = $digest", default, digest);
        return false;
    }
}
