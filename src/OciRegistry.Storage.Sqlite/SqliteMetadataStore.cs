using OciRegistry.Core.References;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Sqlite;

/// <summary>
/// An <see cref="IMetadataStore"/> in one SQLite database file: the single-node default, with the relational model
/// the PostgreSQL store shares (<c>blob_links</c>, <c>manifests</c>, <c>manifest_references</c>, <c>tags</c>).
/// </summary>
/// <remarks>
/// <para>Every write is one transaction begun <c>IMMEDIATE</c> (it takes the database's write lock first, so two
/// writers never deadlock upgrading), so the conditional writes check and change atomically with respect to every
/// other writer, in this process or another one sharing the file.</para>
/// <para>Durable on return: the journal is a write-ahead log and <c>synchronous=FULL</c> syncs it at every commit, so
/// an acknowledged write survives a power cut, except a blob link and the upload sessions' rows (made durable by the
/// next synced commit, see <see cref="LinkBlobAsync"/>). Readers never wait for writers (WAL).</para>
/// </remarks>
public sealed partial class SqliteMetadataStore : IMetadataStore, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>.</summary>
    /// <param name="path">The database file; its folder must exist.</param>
    /// <param name="time">Stamps links, pushes and tags; the system clock when omitted.</param>
    public SqliteMetadataStore(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _time = time ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL;" + SqliteSchema.Create + SqliteSchema.CreateCollectionState + SqliteUploadSessionSchema.Create);
        SqliteSchemaVersions.Apply(connection, path);
    }

    /// <summary>
    /// Closes the pooled connections of this database, so its files are released when the host stops (a pool outlives
    /// its store otherwise, keeping the folder's file system busy).
    /// </summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Committed without a sync of its own (<c>synchronous = NORMAL</c>): a small image's three blob links were three
    /// of its four syncs. The write-ahead log is appended in commit order and a sync writes all of it, so the synced
    /// commit of the manifest put that found this link (it comes later) makes the link durable with it, and so does any
    /// other synced commit after it, or a checkpoint. An acknowledged manifest therefore survives a power cut with every
    /// link it references. What a cut can lose is the link of a blob acknowledged since the last synced commit whose
    /// manifest has not been put: a push the cut interrupted anyway. Nothing then points at missing bytes: the blob is
    /// unknown (404 on HEAD, MANIFEST_BLOB_UNKNOWN on a manifest put), the client uploads it again, and its unlinked
    /// bytes are collected. The same rule as the PostgreSQL store's.
    /// </remarks>
    public ValueTask<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return ValueTask.FromResult(WriteUnsynced((connection, transaction) =>
        {
            var now = Now();
            if (IsBeingDeleted(connection, transaction, digest, now))
            {
                return false;
            }

            Link(connection, transaction, repository, digest, size, now);
            return true;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlobLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => Exists(
            connection, null, "SELECT 1 FROM blob_links WHERE repository = $repository AND digest = $digest", repository, digest)));

    /// <inheritdoc />
    public ValueTask<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) => Execute(
            connection, transaction, "DELETE FROM blob_links WHERE repository = $repository AND digest = $digest", repository, digest) > 0));

    /// <inheritdoc />
    public ValueTask<bool> UnlinkUnusedBlobAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) => Execute(
            connection,
            transaction,
            """
            DELETE FROM blob_links
            WHERE repository = $repository AND digest = $digest AND linked_at < $before
              AND NOT EXISTS (SELECT 1 FROM manifests WHERE repository = $repository AND digest = $digest)
              AND NOT EXISTS (SELECT 1 FROM manifest_references WHERE repository = $repository AND digest = $digest)
            """,
            repository,
            digest,
            ("$before", linkedBefore.ToUnixTimeMilliseconds())) > 0));

    /// <inheritdoc />
    public ValueTask<ManifestPutResult> PutManifestAsync(RepositoryName repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(references);
        return ValueTask.FromResult(Write((connection, transaction) =>
        {
            foreach (var blob in references.Blobs)
            {
                if (!Exists(connection, transaction, "SELECT 1 FROM blob_links WHERE repository = $repository AND digest = $digest", repository, blob))
                {
                    return new ManifestPutResult(ManifestPutStatus.MissingReference, blob);
                }
            }

            foreach (var child in references.Manifests)
            {
                if (!Exists(connection, transaction, "SELECT 1 FROM manifests WHERE repository = $repository AND digest = $digest", repository, child))
                {
                    return new ManifestPutResult(ManifestPutStatus.MissingReference, child);
                }
            }

            if (tag is not null && tagIsImmutable && ResolveTag(connection, transaction, repository, tag) is { } current && current != manifest.Digest)
            {
                return new ManifestPutResult(ManifestPutStatus.TagImmutable);
            }

            var now = Now();
            if (IsBeingDeleted(connection, transaction, manifest.Digest, now))
            {
                return new ManifestPutResult(ManifestPutStatus.BlobDeleting);
            }

            Link(connection, transaction, repository, manifest.Digest, manifest.Size, now);
            InsertManifest(connection, transaction, repository, manifest, references, now);
            if (tag is not null)
            {
                Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO tags (repository, name, digest, updated_at) VALUES ($repository, $tag, $digest, $now)
                    ON CONFLICT (repository, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at
                    """,
                    repository,
                    manifest.Digest,
                    ("$tag", tag),
                    ("$now", now));
            }

            return new ManifestPutResult(ManifestPutStatus.Stored);
        }));
    }

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ReadManifests(
            connection, $"{SelectManifest} WHERE repository = $repository AND digest = $digest", repository, digest).FirstOrDefault()));

    /// <inheritdoc />
    public ValueTask<Digest?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ResolveTag(connection, null, repository, tag)));

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ReadManifests(
            connection,
            $"{SelectManifest} WHERE repository = $repository AND digest = (SELECT digest FROM tags WHERE repository = $repository AND name = $tag)",
            repository,
            default,
            ("$tag", tag)).FirstOrDefault()));

    /// <inheritdoc />
    public ValueTask<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) => DeleteManifest(connection, transaction, repository, digest)));

    /// <inheritdoc />
    public ValueTask<bool> DeleteUnusedManifestAsync(RepositoryName repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) =>
            Exists(
                connection,
                transaction,
                """
                SELECT 1 FROM manifests
                WHERE repository = $repository AND digest = $digest AND pushed_at < $before
                  AND NOT EXISTS (SELECT 1 FROM tags WHERE repository = $repository AND digest = $digest)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references WHERE repository = $repository AND digest = $digest AND is_manifest = 1)
                """,
                repository,
                digest,
                ("$before", pushedBefore.ToUnixTimeMilliseconds()))
            && DeleteManifest(connection, transaction, repository, digest)));

    /// <inheritdoc />
    public ValueTask<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Write((connection, transaction) => Execute(
            connection, transaction, "DELETE FROM tags WHERE repository = $repository AND name = $tag", repository, default, ("$tag", tag)) > 0));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ValueTask.FromResult(Read(connection => ReadStrings(
            connection,
            "SELECT name FROM tags WHERE repository = $repository AND name > $after ORDER BY name LIMIT $limit",
            ("$repository", repository),
            ("$after", after ?? string.Empty),
            ("$limit", limit))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read<IReadOnlyList<TagEntry>>(connection =>
        {
            using var command = Command(connection, null, "SELECT name, digest, updated_at FROM tags WHERE repository = $repository ORDER BY name", repository, default);
            using var reader = command.ExecuteReader();
            var tags = new List<TagEntry>();
            while (reader.Read())
            {
                tags.Add(new TagEntry(reader.GetString(0), Digest.Parse(reader.GetString(1)), FromMilliseconds(reader.GetInt64(2))));
            }

            return tags;
        }));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ReadManifests(
            connection, $"{SelectManifest} WHERE repository = $repository ORDER BY digest", repository, default)));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read<IReadOnlyList<BlobLink>>(connection =>
        {
            using var command = Command(connection, null, "SELECT digest, linked_at FROM blob_links WHERE repository = $repository ORDER BY digest", repository, default);
            using var reader = command.ExecuteReader();
            var links = new List<BlobLink>();
            while (reader.Read())
            {
                links.Add(new BlobLink(Digest.Parse(reader.GetString(0)), FromMilliseconds(reader.GetInt64(1))));
            }

            return links;
        }));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => ReadManifests(
            connection,
            $"{SelectManifest} WHERE repository = $repository AND subject = $subject ORDER BY digest",
            repository,
            default,
            ("$subject", subject.ToString()))));

    /// <inheritdoc />
    public ValueTask<bool> RepositoryExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection => Exists(
            connection,
            null,
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM blob_links WHERE repository = $repository)
                        OR EXISTS (SELECT 1 FROM manifests WHERE repository = $repository)
                        OR EXISTS (SELECT 1 FROM tags WHERE repository = $repository)
            """,
            repository,
            default)));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RepositoryName>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ValueTask.FromResult(Read(connection => ReadNames(
            connection,
            """
            SELECT repository FROM blob_links WHERE repository > $after
            UNION SELECT repository FROM manifests WHERE repository > $after
            UNION SELECT repository FROM tags WHERE repository > $after
            ORDER BY repository LIMIT $limit
            """,
            ("$after", after ?? string.Empty),
            ("$limit", limit))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RepositoryName>> SearchRepositoriesAsync(string contains, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contains);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ValueTask.FromResult(Read(connection => ReadNames(
            connection,
            """
            SELECT repository FROM blob_links WHERE repository > $after AND instr(lower(repository), lower($contains)) > 0
            UNION SELECT repository FROM manifests WHERE repository > $after AND instr(lower(repository), lower($contains)) > 0
            UNION SELECT repository FROM tags WHERE repository > $after AND instr(lower(repository), lower($contains)) > 0
            ORDER BY repository LIMIT $limit
            """,
            ("$after", after ?? string.Empty),
            ("$contains", contains),
            ("$limit", limit))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> ListTagEntriesAsync(RepositoryName repository, TagListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var (cursor, order) = query.Order switch
        {
            TagOrder.Newest => ("(updated_at < $time OR (updated_at = $time AND name > $name))", "updated_at DESC, name"),
            TagOrder.Oldest => ("(updated_at > $time OR (updated_at = $time AND name > $name))", "updated_at, name"),
            _ => ("name > $name", "name"),
        };
        return ValueTask.FromResult(Read<IReadOnlyList<TagEntry>>(connection =>
        {
            using var command = Command(
                connection,
                null,
                $"""
                SELECT name, digest, updated_at FROM tags
                WHERE repository = $repository AND {TagFilter} AND ($name IS NULL OR {cursor})
                ORDER BY {order} LIMIT $limit
                """,
                repository,
                default,
                ("$contains", NullIfEmpty(query.Contains)),
                ("$name", query.After?.Name),
                ("$time", query.After?.UpdatedAt.ToUnixTimeMilliseconds()),
                ("$limit", query.Limit));
            using var reader = command.ExecuteReader();
            var tags = new List<TagEntry>();
            while (reader.Read())
            {
                tags.Add(new TagEntry(reader.GetString(0), Digest.Parse(reader.GetString(1)), FromMilliseconds(reader.GetInt64(2))));
            }

            return tags;
        }));
    }

    /// <inheritdoc />
    public ValueTask<int> CountTagsAsync(RepositoryName repository, string? contains, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection =>
        {
            using var command = Command(
                connection, null, $"SELECT count(*) FROM tags WHERE repository = $repository AND {TagFilter}", repository, default, ("$contains", NullIfEmpty(contains)));
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));

    /// <inheritdoc />
    public ValueTask<BlobLinkStatistics> GetBlobLinkStatisticsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(connection =>
        {
            using var count = Command(
                connection,
                null,
                "SELECT count(*) FROM (SELECT repository FROM blob_links UNION SELECT repository FROM manifests UNION SELECT repository FROM tags)",
                default,
                default);
            var repositories = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var command = Command(connection, null, BlobLinkTotals, default, default);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new BlobLinkStatistics(repositories, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4));
        }));

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<Digest>> FindBlobsLinkedElsewhereAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return ValueTask.FromResult(Read<IReadOnlySet<Digest>>(connection => ReadStrings(
            connection,
            "SELECT DISTINCT digest FROM blob_links WHERE digest IN (SELECT value FROM json_each($digests)) AND repository <> $other",
            ("$digests", JsonArray(digests.Select(d => d.ToString()))),
            ("$other", repository)).Select(Digest.Parse).ToHashSet()));
    }

    // Per distinct blob its size (any link that knows it) and its links; then blobs, links, bytes once, bytes per link
    // and blobs of unknown size. One pass over the digest index.
    private const string BlobLinkTotals = """
        SELECT count(*), coalesce(sum(links), 0), coalesce(sum(size), 0), coalesce(sum(size * links), 0), count(*) - count(size)
        FROM (SELECT max(size) AS size, count(*) AS links FROM blob_links GROUP BY digest)
        """;

    // A tag name filter: $contains null matches every tag.
    private const string TagFilter = "($contains IS NULL OR instr(lower(name), lower($contains)) > 0)";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private const string SelectManifest = "SELECT digest, media_type, size, subject, artifact_type, annotations, referenced_size, platforms, pushed_at FROM manifests";

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>Opens a pooled connection that syncs every commit, or (<paramref name="synced"/> false) none.</summary>
    internal SqliteConnection Open(bool synced = true)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // Per connection, not stored in the file: FULL syncs the write-ahead log before each commit returns; NORMAL
        // leaves it to the next synced commit or checkpoint, which writes the whole log, this commit with it.
        Execute(connection, null, synced ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        return connection;
    }

    private T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open();
        return read(connection);
    }

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write) => Write(synced: true, write);

    // A write whose commit does not wait for the disk: the next synced commit (any write's) carries it there.
    private T WriteUnsynced<T>(Func<SqliteConnection, SqliteTransaction, T> write) => Write(synced: false, write);

    private T Write<T>(bool synced, Func<SqliteConnection, SqliteTransaction, T> write)
    {
        using var connection = Open(synced);
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = write(connection, transaction);
        transaction.Commit();
        return result;
    }

    private static void Link(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, Digest digest, long size, long now) =>
        Execute(
            connection,
            transaction,
            """
            INSERT INTO blob_links (repository, digest, linked_at, size) VALUES ($repository, $digest, $now, $size)
            ON CONFLICT (repository, digest) DO UPDATE SET linked_at = excluded.linked_at, size = excluded.size
            """,
            repository,
            digest,
            ("$now", now),
            ("$size", size));

    private static void InsertManifest(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, ManifestRecord manifest, ManifestReferences references, long now)
    {
        Execute(
            connection,
            transaction,
            """
            INSERT INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, referenced_size, platforms, pushed_at)
            VALUES ($repository, $digest, $mediaType, $size, $subject, $artifactType, $annotations, $referencedSize, $platforms, $now)
            ON CONFLICT (repository, digest) DO UPDATE SET pushed_at = excluded.pushed_at
            """,
            repository,
            manifest.Digest,
            ("$mediaType", manifest.MediaType),
            ("$size", manifest.Size),
            ("$subject", manifest.Subject?.ToString()),
            ("$artifactType", manifest.ArtifactType),
            ("$annotations", manifest.Annotations is null ? null : JsonSerializer.Serialize(manifest.Annotations, SqliteJsonContext.Default.IReadOnlyDictionaryStringString)),
            ("$referencedSize", manifest.ReferencedSize),
            ("$platforms", manifest.Platforms is null ? null : JsonSerializer.Serialize(manifest.Platforms, SqliteJsonContext.Default.IReadOnlyListString)),
            ("$now", now));
        foreach (var (reference, isManifest) in references.Blobs.Select(b => (b, 0)).Concat(references.Manifests.Select(m => (m, 1))))
        {
            Execute(
                connection,
                transaction,
                "INSERT OR IGNORE INTO manifest_references (repository, manifest, digest, is_manifest) VALUES ($repository, $digest, $reference, $isManifest)",
                repository,
                manifest.Digest,
                ("$reference", reference.ToString()),
                ("$isManifest", isManifest));
        }
    }

    private static bool DeleteManifest(SqliteConnection connection, SqliteTransaction transaction, RepositoryName repository, Digest digest)
    {
        if (Execute(connection, transaction, "DELETE FROM manifests WHERE repository = $repository AND digest = $digest", repository, digest) == 0)
        {
            return false;
        }

        Execute(connection, transaction, "DELETE FROM manifest_references WHERE repository = $repository AND manifest = $digest", repository, digest);
        Execute(connection, transaction, "DELETE FROM tags WHERE repository = $repository AND digest = $digest", repository, digest);
        return true;
    }

    private static Digest? ResolveTag(SqliteConnection connection, SqliteTransaction? transaction, RepositoryName repository, string tag)
    {
        using var command = Command(connection, transaction, "SELECT digest FROM tags WHERE repository = $repository AND name = $tag", repository, default, ("$tag", tag));
        return command.ExecuteScalar() is string digest ? Digest.Parse(digest) : null;
    }

    private static IReadOnlyList<ManifestRecord> ReadManifests(SqliteConnection connection, string sql, RepositoryName repository, Digest digest, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, repository, digest, parameters);
        using var reader = command.ExecuteReader();
        var manifests = new List<ManifestRecord>();
        while (reader.Read())
        {
            manifests.Add(new ManifestRecord(
                Digest.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : Digest.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), SqliteJsonContext.Default.IReadOnlyDictionaryStringString))
            {
                ReferencedSize = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                Platforms = reader.IsDBNull(7) ? null : JsonSerializer.Deserialize(reader.GetString(7), SqliteJsonContext.Default.IReadOnlyListString),
                PushedAt = FromMilliseconds(reader.GetInt64(8)),
            });
        }

        return manifests;
    }

    private static IReadOnlyList<RepositoryName> ReadNames(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        [.. ReadStrings(connection, sql, parameters).Select(RepositoryName.Parse)];

    private static IReadOnlyList<string> ReadStrings(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, default, default, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction? transaction, string sql, RepositoryName repository, Digest digest, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, repository, digest, parameters);
        return command.ExecuteScalar() is not null;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, RepositoryName repository = default, Digest digest = default, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, repository, digest, parameters);
        return command.ExecuteNonQuery();
    }

    // $repository and $digest are bound when given, the rest by name; null binds SQL NULL.
    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, RepositoryName repository, Digest digest, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (!repository.IsEmpty)
        {
            command.Parameters.AddWithValue("$repository", repository.Value);
        }

        if (!digest.IsEmpty)
        {
            command.Parameters.AddWithValue("$digest", digest.ToString());
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value switch { null => DBNull.Value, RepositoryName text => text.Value, _ => value });
        }

        return command;
    }
}
