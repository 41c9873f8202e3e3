namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// The schema's versions, oldest first: each one a script run once, in one transaction with its row in
/// <c>schema_migrations</c>. A released script is never edited; a change of the model is a new version.
/// </summary>
/// <remarks>
/// The relational model is the SQLite store's (<c>blob_links</c>, <c>manifests</c>, <c>manifest_references</c>,
/// <c>tags</c>), typed for PostgreSQL: names and digests are <c>text COLLATE "C"</c> so that every index orders them
/// ordinally, as the listings' keyset cursors need; times are <c>timestamptz</c>; annotations are <c>jsonb</c>; and
/// foreign keys make the database itself refuse a tag or a reference on a manifest that is gone.
/// </remarks>
internal static class PostgreSqlMigrations
{
    /// <summary>The scripts by version; the last one is the version this binary writes.</summary>
    public static readonly IReadOnlyList<string> Scripts =
    [
        // 1: the model of the embedded store.
        """
        CREATE TABLE blob_links (
            repository text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            linked_at timestamptz NOT NULL,
            PRIMARY KEY (repository, digest)
        );
        CREATE INDEX blob_links_by_digest ON blob_links (digest);

        CREATE TABLE manifests (
            repository text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            media_type text NOT NULL,
            size bigint NOT NULL,
            subject text COLLATE "C",
            artifact_type text,
            annotations jsonb,
            referenced_size bigint,
            platforms text[],
            pushed_at timestamptz NOT NULL,
            PRIMARY KEY (repository, digest)
        );
        CREATE INDEX manifests_by_subject ON manifests (repository, subject, digest) WHERE subject IS NOT NULL;

        CREATE TABLE manifest_references (
            repository text COLLATE "C" NOT NULL,
            manifest text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            is_manifest boolean NOT NULL,
            PRIMARY KEY (repository, manifest, digest),
            FOREIGN KEY (repository, manifest) REFERENCES manifests ON DELETE CASCADE
        );
        CREATE INDEX manifest_references_by_digest ON manifest_references (repository, digest);

        CREATE TABLE tags (
            repository text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (repository, name),
            FOREIGN KEY (repository, digest) REFERENCES manifests ON DELETE CASCADE
        );
        CREATE INDEX tags_by_digest ON tags (repository, digest);
        """,

        // The pull-through cache's records: last pull per manifest (eviction) and last upstream check per tag.
        """
        CREATE TABLE upstream_pulls (
            repository text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            pulled_at timestamptz NOT NULL,
            PRIMARY KEY (repository, digest)
        );

        CREATE TABLE upstream_tag_checks (
            repository text COLLATE "C" NOT NULL,
            tag text COLLATE "C" NOT NULL,
            checked_at timestamptz NOT NULL,
            PRIMARY KEY (repository, tag)
        );
        """,

        // The collection state: the one collector lease, and the blobs whose bytes a collector is deleting.
        """
        CREATE TABLE collector_lease (
            id integer PRIMARY KEY CHECK (id = 1),
            holder text NOT NULL,
            expires_at timestamptz NOT NULL
        );

        CREATE TABLE blob_deletions (
            digest text COLLATE "C" PRIMARY KEY,
            since timestamptz NOT NULL
        );
        """,

        // Upload sessions: one row per unfinished upload, its committed length and its writer lease (IUploadSessionStore).
        """
        CREATE TABLE upload_sessions (
            id text COLLATE "C" PRIMARY KEY,
            repository text COLLATE "C" NOT NULL,
            started_at timestamptz NOT NULL,
            length bigint NOT NULL,
            lease_owner text,
            lease_expires_at timestamptz
        );
        """,

        // The size of each linked blob, so a repository's total and the storage overview are sums over links. Links
        // made before it know their size only when the blob is a manifest of the repository; the rest stay NULL
        // (unknown) until the blob is linked again: a migration cannot read the blob store.
        """
        ALTER TABLE blob_links ADD COLUMN size bigint;
        UPDATE blob_links SET size = m.size FROM manifests m WHERE m.repository = blob_links.repository AND m.digest = blob_links.digest;
        """,

        // Every change of a repository's tags or manifests announces the repository on the notified manifest cache's
        // channel, from triggers so that no write path can forget to (PostgreSqlManifestChangeListener). PostgreSQL
        // sends them at commit, one per repository and transaction however many rows changed.
        """
        CREATE FUNCTION ociregistry_notify_manifest_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('ociregistry_manifests', CASE WHEN TG_OP = 'DELETE' THEN OLD.repository ELSE NEW.repository END);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER tags_notify_change AFTER INSERT OR UPDATE OR DELETE ON tags
            FOR EACH ROW EXECUTE FUNCTION ociregistry_notify_manifest_change();
        CREATE TRIGGER manifests_notify_change AFTER INSERT OR UPDATE OR DELETE ON manifests
            FOR EACH ROW EXECUTE FUNCTION ociregistry_notify_manifest_change();
        """,
    ];

    /// <summary>The schema version this binary reads and writes.</summary>
    public static int Latest => Scripts.Count;
}
