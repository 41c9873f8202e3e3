using OciRegistry.Core.References;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Sqlite;

/// <summary>
/// Upload session rows (<c>upload_sessions</c>): each lease, advance and end reads and changes its row in one
/// <c>IMMEDIATE</c> transaction, so the compare-and-set holds against every other process sharing the file. These
/// commits are not synced on their own (<c>synchronous = NORMAL</c>; the next synced commit of any write carries them
/// to disk): a session's progress was never durable (its bytes are flushed only at the commit), a session a power cut
/// loses is unknown afterwards and the client pushes again, and an ended row that comes back is removed by expiry.
/// A manifest put, which acknowledges an image, is written with a synced commit (a blob link is not: see
/// <see cref="LinkBlobAsync"/>).
/// </summary>
public sealed partial class SqliteMetadataStore : IUploadSessionStore
{
    private const string SelectUploadSession = "SELECT id, repository, started_at, length, lease_owner, lease_expires_at FROM upload_sessions";

    /// <inheritdoc />
    public ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        WriteUnsynced((connection, transaction) => Execute(
            connection,
            transaction,
            "INSERT INTO upload_sessions (id, repository, started_at, length) VALUES ($id, $repository, $startedAt, 0)",
            session.Repository,
            default,
            ("$id", session.Id),
            ("$startedAt", session.StartedAt.ToUnixTimeMilliseconds())));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ReadUploadSession(connection, null, id))?.Session);

    /// <inheritdoc />
    public ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WriteUnsynced((connection, transaction) =>
        {
            var now = Now();
            var status = ReadUploadSession(connection, transaction, id) switch
            {
                null => UploadWriteStatus.Unknown,
                { Session.Length: var length } when length != offset => UploadWriteStatus.OffsetMismatch,
                { LeaseExpiresAt: { } expires } when expires > now => UploadWriteStatus.Busy,
                _ => UploadWriteStatus.Opened,
            };
            if (status == UploadWriteStatus.Opened)
            {
                Execute(
                    connection,
                    transaction,
                    "UPDATE upload_sessions SET lease_owner = $owner, lease_expires_at = $expires WHERE id = $id",
                    default,
                    default,
                    ("$id", id),
                    ("$owner", owner),
                    ("$expires", now + (long)duration.TotalMilliseconds));
            }

            return status;
        }));

    /// <inheritdoc />
    public ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WriteUnsynced((connection, transaction) => Execute(
            connection,
            transaction,
            """
            UPDATE upload_sessions SET length = $to, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = $id AND lease_owner = $owner AND length = $from
            """,
            default,
            default,
            ("$id", id),
            ("$owner", owner),
            ("$from", from),
            ("$to", to)) > 0));

    /// <inheritdoc />
    public ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WriteUnsynced((connection, transaction) =>
        {
            var status = ReadUploadSession(connection, transaction, id) switch
            {
                null => UploadCommitStatus.Unknown,
                _ when length is null => UploadCommitStatus.Committed,
                { LeaseExpiresAt: { } expires } when expires > Now() => UploadCommitStatus.Busy,
                { Session.Length: var current } when current != length => UploadCommitStatus.LengthMismatch,
                _ => UploadCommitStatus.Committed,
            };
            if (status == UploadCommitStatus.Committed)
            {
                Execute(connection, transaction, "DELETE FROM upload_sessions WHERE id = $id", default, default, ("$id", id));
            }

            return status;
        }));

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListUploadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sessions = Read(connection =>
        {
            using var command = Command(connection, null, SelectUploadSession + " ORDER BY id", default, default);
            return ReadUploadSessions(command);
        });
        foreach (var row in sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row.Session;
        }
    }

    private static UploadSessionRow? ReadUploadSession(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using var command = Command(connection, transaction, SelectUploadSession + " WHERE id = $id", default, default, ("$id", id));
        return ReadUploadSessions(command).FirstOrDefault();
    }

    private static List<UploadSessionRow> ReadUploadSessions(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<UploadSessionRow>();
        while (reader.Read())
        {
            rows.Add(new UploadSessionRow(
                new UploadSession(reader.GetString(0), RepositoryName.Parse(reader.GetString(1)), FromMilliseconds(reader.GetInt64(2)), reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }

        return rows;
    }

    private sealed record UploadSessionRow(UploadSession Session, string? LeaseOwner, long? LeaseExpiresAt);
}
