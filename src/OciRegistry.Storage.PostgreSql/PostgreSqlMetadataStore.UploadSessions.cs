using OciRegistry.Core.References;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Upload session rows (<c>upload_sessions</c>): a lease and an end lock their row (<c>FOR UPDATE</c>) and change it in
/// one statement, an advance is one conditional <c>UPDATE</c>; so the compare-and-set on the offset and the lease holds
/// across every instance sharing the database.
/// </summary>
/// <remarks>
/// Each change is one round trip, and its commit does not wait for the write-ahead log to reach the disk
/// (<c>synchronous_commit = off</c> for that transaction only): a session's progress was never durable (its bytes are
/// flushed only when the blob is committed), and the next synchronous commit of any write carries it to disk, as
/// SQLite's session rows commit without a sync of their own. What a 201 acknowledges (the link, the manifest) is
/// committed synchronously.
/// </remarks>
public sealed partial class PostgreSqlMetadataStore : IUploadSessionStore
{
    private const string SelectUploadSession = "SELECT id, repository, started_at, length FROM upload_sessions";

    // The first command of a session row's batch (one implicit transaction): its commit does not wait for the flush.
    private const string UnsyncedCommit = "SELECT set_config('synchronous_commit', 'off', true)";

    /// <inheritdoc />
    public async ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await WriteUnsyncedAsync(
            "INSERT INTO upload_sessions (id, repository, started_at, length) VALUES ($1, $2, $3, 0)",
            cancellationToken,
            session.Id,
            session.Repository,
            session.StartedAt.ToUniversalTime()).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"{SelectUploadSession} WHERE id = $1", ReadUploadSession, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var row = await ChangeUploadSessionAsync(
            """
            WITH held AS (SELECT length, lease_expires_at FROM upload_sessions WHERE id = $1 FOR UPDATE),
                 changed AS (
                     UPDATE upload_sessions SET lease_owner = $3, lease_expires_at = $5 FROM held
                     WHERE upload_sessions.id = $1 AND held.length = $2 AND (held.lease_expires_at IS NULL OR held.lease_expires_at <= $4)
                     RETURNING 1)
            SELECT length, coalesce(lease_expires_at > $4, false), EXISTS (SELECT 1 FROM changed) FROM held
            """,
            cancellationToken,
            id,
            offset,
            owner,
            now,
            now + duration).ConfigureAwait(false);
        return row switch
        {
            null => UploadWriteStatus.Unknown,
            { Changed: true } => UploadWriteStatus.Opened,
            { Length: var length } when length != offset => UploadWriteStatus.OffsetMismatch,
            _ => UploadWriteStatus.Busy,
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement, one round trip: the row is locked only when it is live in the repository, and leased in the same
    /// statement under the conditions of <see cref="LeaseUploadSessionAsync"/>; committed unsynced.
    /// </remarks>
    public async ValueTask<(UploadSession? Session, UploadWriteStatus Status)> LeaseLiveUploadSessionAsync(string id, RepositoryName repository, DateTimeOffset notStartedBefore, long? offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, UnsyncedCommit);
            Add(
                batch,
                """
                WITH held AS (
                        SELECT started_at, length, lease_expires_at FROM upload_sessions
                        WHERE id = $1 AND repository = $2 AND started_at >= $3 FOR UPDATE),
                     changed AS (
                        UPDATE upload_sessions SET lease_owner = $5, lease_expires_at = $7 FROM held
                        WHERE upload_sessions.id = $1 AND ($4::bigint IS NULL OR held.length = $4)
                          AND (held.lease_expires_at IS NULL OR held.lease_expires_at <= $6)
                        RETURNING 1)
                SELECT started_at, length, EXISTS (SELECT 1 FROM changed) FROM held
                """,
                id,
                repository,
                notStartedBefore.ToUniversalTime(),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)offset ?? DBNull.Value },
                owner,
                now,
                now + duration);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (null, UploadWriteStatus.Unknown);
                }

                var session = new UploadSession(id, repository, reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));
                return (session, reader.GetBoolean(2) ? UploadWriteStatus.Opened
                    : offset is { } at && at != session.Length ? UploadWriteStatus.OffsetMismatch
                    : UploadWriteStatus.Busy);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default) =>
        await WriteUnsyncedAsync(
            """
            UPDATE upload_sessions SET length = $4, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = $1 AND lease_owner = $2 AND length = $3
            """,
            cancellationToken,
            id,
            owner,
            from,
            to).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default)
    {
        // Without a length it ends whatever its state; with one only at that length and with no live lease.
        var row = await ChangeUploadSessionAsync(
            """
            WITH held AS (SELECT length, lease_expires_at FROM upload_sessions WHERE id = $1 FOR UPDATE),
                 changed AS (
                     DELETE FROM upload_sessions USING held
                     WHERE upload_sessions.id = $1
                       AND ($2::bigint IS NULL OR (held.length = $2 AND (held.lease_expires_at IS NULL OR held.lease_expires_at <= $3)))
                     RETURNING 1)
            SELECT length, coalesce(lease_expires_at > $3, false), EXISTS (SELECT 1 FROM changed) FROM held
            """,
            cancellationToken,
            id,
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)length ?? DBNull.Value },
            Now()).ConfigureAwait(false);
        return row switch
        {
            null => UploadCommitStatus.Unknown,
            { Changed: true } => UploadCommitStatus.Committed,
            { Leased: true } => UploadCommitStatus.Busy,
            _ => UploadCommitStatus.LengthMismatch,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListUploadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var session in await ReadAsync($"{SelectUploadSession} ORDER BY id", ReadUploadSession, cancellationToken).ConfigureAwait(false))
        {
            yield return session;
        }
    }

    private static UploadSession ReadUploadSession(NpgsqlDataReader reader) =>
        new(reader.GetString(0), RepositoryName.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3));

    // One statement on a session row, committed unsynced; the rows it changed.
    private async ValueTask<int> WriteUnsyncedAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, UnsyncedCommit);
            Add(batch, sql, parameters);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[^1].RecordsAffected;
        }
    }

    // One statement that locks a session row, changes it when its conditions hold, and returns the row as it found it
    // (its length, whether a lease on it was live) and whether it changed; null when there is no such row. Committed unsynced.
    private async ValueTask<(long Length, bool Leased, bool Changed)?> ChangeUploadSessionAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, UnsyncedCommit);
            Add(batch, sql, parameters);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetBoolean(1), reader.GetBoolean(2)) : null;
            }
        }
    }
}
