namespace OciRegistry.Storage.Sqlite;

/// <summary>
/// The relational model of a registry's metadata: the same tables the PostgreSQL store uses. Times are Unix
/// milliseconds; digests and names are text compared byte for byte (ordinal, as the listings need).
/// </summary>
internal static partial class SqliteSchema
{
    /// <summary>Creates what is missing; safe to run on every open.</summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS blob_links (
            repository TEXT NOT NULL,
            digest TEXT NOT NULL,
            linked_at INTEGER NOT NULL,
            PRIMARY KEY (repository, digest)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS blob_links_by_digest ON blob_links (digest);

        CREATE TABLE IF NOT EXISTS manifests (
            repository TEXT NOT NULL,
            digest TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            subject TEXT,
            artifact_type TEXT,
            annotations TEXT,
            referenced_size INTEGER,
            platforms TEXT,
            pushed_at INTEGER NOT NULL,
            PRIMARY KEY (repository, digest)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS manifests_by_subject ON manifests (repository, subject) WHERE subject IS NOT NULL;

        CREATE TABLE IF NOT EXISTS manifest_references (
            repository TEXT NOT NULL,
            manifest TEXT NOT NULL,
            digest TEXT NOT NULL,
            is_manifest INTEGER NOT NULL,
            PRIMARY KEY (repository, manifest, digest)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS manifest_references_by_digest ON manifest_references (repository, digest);

        CREATE TABLE IF NOT EXISTS tags (
            repository TEXT NOT NULL,
            name TEXT NOT NULL,
            digest TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (repository, name)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tags_by_digest ON tags (repository, digest);
        """;
}
