namespace OciRegistry.Storage.Sqlite;

/// <summary>
/// The upload session rows (<see cref="OciRegistry.Core.Storage.IUploadSessionStore"/>): one per unfinished upload,
/// with its committed length and writer lease. Times are Unix milliseconds, as in <see cref="SqliteSchema"/>.
/// </summary>
internal static class SqliteUploadSessionSchema
{
    /// <summary>Creates what is missing; safe to run on every open.</summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS upload_sessions (
            id TEXT NOT NULL PRIMARY KEY,
            repository TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            length INTEGER NOT NULL,
            lease_owner TEXT,
            lease_expires_at INTEGER
        ) WITHOUT ROWID;
        """;
}
