namespace OciRegistry.Storage.Sqlite;

internal static partial class SqliteSchema
{
    /// <summary>
    /// The collection state: the one collector lease (holder and expiry, renewed while it collects) and the blobs whose
    /// bytes a collector is deleting. Safe to run on every open.
    /// </summary>
    public const string CreateCollectionState = """
        CREATE TABLE IF NOT EXISTS collector_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS blob_deletions (
            digest TEXT NOT NULL PRIMARY KEY,
            since INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;
}
