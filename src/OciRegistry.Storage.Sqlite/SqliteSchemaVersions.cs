using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OciRegistry.Storage.Sqlite;

/// <summary>
/// Changes to the tables <see cref="SqliteSchema"/> creates, oldest first, numbered by the database's
/// <c>user_version</c>: each runs once, in one transaction with the version it sets. A released script is never
/// edited; a change of the model is a new script (the PostgreSQL store's migrations make the same change).
/// </summary>
internal static class SqliteSchemaVersions
{
    /// <summary>The scripts by version (the first is version 1); the last one is the version this binary writes.</summary>
    public static readonly IReadOnlyList<string> Scripts =
    [
        // 1: the size of each linked blob, so a repository's total and the storage overview are sums over links.
        // Links made before it know their size only when the blob is a manifest of the repository; the rest stay NULL
        // (unknown) until the blob is linked again: the metadata file cannot read the blob store (see STORAGE.md).
        """
        ALTER TABLE blob_links ADD COLUMN size INTEGER;
        UPDATE blob_links SET size = (SELECT m.size FROM manifests m WHERE m.repository = blob_links.repository AND m.digest = blob_links.digest);
        """,
    ];

    /// <summary>
    /// Brings the database to the latest version under the write lock (so two processes opening one file at once run
    /// each script once); refuses a database a newer binary wrote.
    /// </summary>
    public static void Apply(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Scripts.Count)
        {
            throw new InvalidOperationException(
                $"The metadata database {path} is at schema version {version}, newer than this registry's {Scripts.Count}: upgrade the registry.");
        }

        if (version == Scripts.Count)
        {
            return;
        }

        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = string.Concat(Scripts.Skip(version)) + $"PRAGMA user_version = {Scripts.Count.ToString(CultureInfo.InvariantCulture)};";
        write.ExecuteNonQuery();
        transaction.Commit();
    }
}
