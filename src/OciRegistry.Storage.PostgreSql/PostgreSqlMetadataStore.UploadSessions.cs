using OciRegistry.Core.References;
using System.Runtime.CompilerServices;
using Npgsql;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Upload session rows (<c>upload_sessions</c>): a lease and an end read their row <c>FOR UPDATE</c> and change it in
/// the same transaction, an advance is one conditional <c>UPDATE</c>; so the compare-and-set on the offset and the
/// lease holds across every instance sharing the database.
/// </summary>
public sealed partial class PostgreSqlMetadataStore : IUploadSessionStore
{
    private const string SelectUploadSession = "SELECT id, repository, started_at, length, lease_owner, lease_expires_at FROM upload_sessions";

    /// <inheritdoc />
    public async ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var command = Command(
            "INSERT INTO upload_sessions (id, repository, started_at, length) VALUES ($1, $2, $3, 0)",
            session.Id,
            session.Repository,
            session.StartedAt.ToUniversalTime());
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"{SelectUploadSession} WHERE id = $1", ReadUploadSession, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault()?.Session;

    /// <inheritdoc />
    public ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
        ChangeUploadSessionAsync<UploadWriteStatus>(
            id,
            (row, now) => row switch
            {
                null => (UploadWriteStatus.Unknown, null),
                { Session.Length: var length } when length != offset => (UploadWriteStatus.OffsetMismatch, null),
                { LeaseExpiresAt: { } expires } when expires > now => (UploadWriteStatus.Busy, null),
                _ => (UploadWriteStatus.Opened, Change("UPDATE upload_sessions SET lease_owner = $2, lease_expires_at = $3 WHERE id = $1", id, owner, now + duration)),
            },
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default)
    {
        var command = Command(
            """
            UPDATE upload_sessions SET length = $4, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = $1 AND lease_owner = $2 AND length = $3
            """,
            id,
            owner,
            from,
            to);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default) =>
        ChangeUploadSessionAsync<UploadCommitStatus>(
            id,
            (row, now) => row switch
            {
                null => (UploadCommitStatus.Unknown, null),
                { LeaseExpiresAt: { } expires } when length is not null && expires > now => (UploadCommitStatus.Busy, null),
                { Session.Length: var current } when length is not null && current != length => (UploadCommitStatus.LengthMismatch, null),
                _ => (UploadCommitStatus.Committed, Change("DELETE FROM upload_sessions WHERE id = $1", id)),
            },
            cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListUploadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in await ReadAsync($"{SelectUploadSession} ORDER BY id", ReadUploadSession, cancellationToken).ConfigureAwait(false))
        {
            yield return row.Session;
        }
    }

    private static UploadSessionRow ReadUploadSession(NpgsqlDataReader reader) => new(
        new UploadSession(reader.GetString(0), RepositoryName.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));

    private static (string Sql, object[] Parameters) Change(string sql, params object[] parameters) => (sql, parameters);

    // Reads the row FOR UPDATE (no other instance changes it until the commit), decides, and runs the change decided on.
    private async ValueTask<T> ChangeUploadSessionAsync<T>(string id, Func<UploadSessionRow?, DateTimeOffset, (T Result, (string Sql, object[] Parameters)? Change)> decide, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                UploadSessionRow? row = null;
                var select = new NpgsqlCommand($"{SelectUploadSession} WHERE id = $1 FOR UPDATE", connection, transaction) { Parameters = { new NpgsqlParameter { Value = id } } };
                await using (select.ConfigureAwait(false))
                {
                    var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            row = ReadUploadSession(reader);
                        }
                    }
                }

                var (result, change) = decide(row, Now());
                if (change is var (sql, parameters))
                {
                    var command = new NpgsqlCommand(sql, connection, transaction);
                    await using (command.ConfigureAwait(false))
                    {
                        foreach (var value in parameters)
                        {
                            command.Parameters.Add(Parameter(value));
                        }

                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    private sealed record UploadSessionRow(UploadSession Session, string? LeaseOwner, DateTimeOffset? LeaseExpiresAt);
}
