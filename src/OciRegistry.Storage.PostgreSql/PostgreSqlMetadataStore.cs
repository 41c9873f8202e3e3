using OciRegistry.Core.References;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// An <see cref="IMetadataStore"/> in a PostgreSQL database that several registry instances share: the SQLite store's
/// relational model (see <see cref="PostgreSqlSchema"/>), so a push through one instance is seen by every other at once.
/// </summary>
/// <remarks>
/// <para>Every write is one transaction that first takes its repository's advisory lock, so the conditional writes
/// (<see cref="PutManifestAsync"/> checking references and an immutable tag, the collector's
/// <see cref="UnlinkUnusedBlobAsync"/> and <see cref="DeleteUnusedManifestAsync"/>) check and change with no other
/// writer of that repository in between, on any instance; writers of different repositories do not wait for each
/// other. Reads take no lock. Foreign keys back this up: a tag or a reference cannot outlive its manifest.</para>
/// <para>Durable on return as PostgreSQL's commit is (<c>synchronous_commit</c>, on by default), except a blob link
/// (made durable by the manifest put that references it, see <see cref="LinkBlobAsync"/>). Listings are keyset
/// pages over the primary keys (<c>text COLLATE "C"</c>: ordinal order), so a page costs the same whatever the
/// cursor and however many tags or repositories there are.</para>
/// </remarks>
/// <param name="dataSource">The database (pooled connections); its schema must be at <see cref="PostgreSqlSchema.Version"/>.</param>
/// <param name="time">Stamps links, pushes and tags; the system clock when omitted.</param>
/// <param name="reads">
/// Runs the single-statement reads, which take no lock (manifest and tag lookups, listings): a data source with
/// <c>Multiplexing=true</c> there lets many pulls share a few connections; <paramref name="dataSource"/> when omitted.
/// </param>
public sealed partial class PostgreSqlMetadataStore(NpgsqlDataSource dataSource, TimeProvider? time = null, NpgsqlDataSource? reads = null) : IMetadataStore
{
    private const string SelectManifest = "SELECT digest, media_type, size, subject, artifact_type, annotations, referenced_size, platforms, pushed_at FROM manifests";

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly NpgsqlDataSource _reads = reads ?? dataSource;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    /// <remarks>
    /// <para>Committed without waiting for the write-ahead log to reach the disk (<c>synchronous_commit = off</c> for
    /// this transaction): a small image's three blob links were three of its four flushes. PostgreSQL flushes its log
    /// in order, so the synced commit of a manifest put that found this link (its commit record comes later) makes the
    /// link durable with it, and so does any other synced commit after it, or the WAL writer within at most three
    /// <c>wal_writer_delay</c>s (0.6 s by default). An acknowledged manifest therefore survives a power cut with every
    /// link it references, and the bytes were flushed before the upload's 201 (the commit follows the link).</para>
    /// <para>What a power cut (or a crash of PostgreSQL itself) can lose is the link of a blob acknowledged in those
    /// last moments whose manifest has not been put: a push the cut interrupted anyway. Nothing then points at missing
    /// bytes: the blob is unknown (404 on HEAD, MANIFEST_BLOB_UNKNOWN on a manifest put), so the client uploads it
    /// again, and its unlinked bytes are collected. The reference registry syncs its link files; its 201 outlives a
    /// power cut by that margin more, ours keeps what an image needs.</para>
    /// <para>One round trip: the locks, the deletion check and the link go out as one batch in its implicit
    /// transaction, without the separate <c>COMMIT</c> of the other repository-locked writes. Such a batch, once sent,
    /// commits even when its instance dies while it waits for a lock; for a link that leaves what a death just after a
    /// commit leaves anyway (a link whose upload's bytes were never committed, which the blob's existence check and
    /// the collection's unlinking of unused blobs already deal with), so the link does not pay for the round trip.
    /// The collector's writes keep their explicit transaction (<see cref="WriteAsync{T}"/>).</para>
    /// </remarks>
    public async ValueTask<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var now = Now();
        var batch = CreateLinkBatch(repository, digest, now);
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, LinkUnlessDeleting, repository, digest.ToString(), now, size);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[^1].RecordsAffected > 0;
        }
    }

    // A link's batch up to the link itself: its commit unsynced, the repository's lock, the digest's lock and check.
    private NpgsqlBatch CreateLinkBatch(RepositoryName repository, Digest digest, DateTimeOffset now)
    {
        var batch = _dataSource.CreateBatch();
        Add(batch, UnsyncedCommit);
        Add(batch, AdvisoryLocks.Repository, repository);
        AddDeletionCheck(batch, digest.ToString(), now);
        return batch;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlobLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        ExistsAsync("SELECT 1 FROM blob_links WHERE repository = $1 AND digest = $2", cancellationToken, repository, digest.ToString());

    /// <inheritdoc />
    /// <remarks>One statement, on the reads' data source.</remarks>
    public ValueTask<IReadOnlySet<Digest>> FindLinkedBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default) =>
        FindDigestsAsync("SELECT digest FROM blob_links WHERE repository = $1 AND digest = ANY($2)", repository, digests, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        WriteAsync(
            repository,
            cancellationToken,
            batch => Add(batch, "DELETE FROM blob_links WHERE repository = $1 AND digest = $2", repository, digest.ToString()),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public ValueTask<bool> UnlinkUnusedBlobAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default) =>
        WriteAsync(
            repository,
            cancellationToken,
            batch => Add(
                batch,
                """
                DELETE FROM blob_links
                WHERE repository = $1 AND digest = $2 AND linked_at < $3
                  AND NOT EXISTS (SELECT 1 FROM manifests WHERE repository = $1 AND digest = $2)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references WHERE repository = $1 AND digest = $2)
                """,
                repository,
                digest.ToString(),
                linkedBefore.ToUniversalTime()),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var reference = digest.ToString();
        return GetManifestRecordAsync(repository, reference, $"{SelectManifest} WHERE repository = $1 AND digest = $2", reference, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<Digest?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        var command = Query("SELECT digest FROM tags WHERE repository = $1 AND name = $2", repository, tag);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string digest ? Digest.Parse(digest) : null;
        }
    }

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        GetManifestRecordAsync(
            repository,
            tag,
            $"{SelectManifest} WHERE repository = $1 AND digest = (SELECT digest FROM tags WHERE repository = $1 AND name = $2)",
            tag,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        WriteManifestsAsync(
            repository,
            cancellationToken,
            batch => Add(batch, "DELETE FROM manifests WHERE repository = $1 AND digest = $2", repository, digest.ToString()),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public ValueTask<bool> DeleteUnusedManifestAsync(RepositoryName repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default) =>
        WriteManifestsAsync(
            repository,
            cancellationToken,
            batch => Add(
                batch,
                """
                DELETE FROM manifests
                WHERE repository = $1 AND digest = $2 AND pushed_at < $3
                  AND NOT EXISTS (SELECT 1 FROM tags WHERE repository = $1 AND digest = $2)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references WHERE repository = $1 AND digest = $2 AND is_manifest)
                """,
                repository,
                digest.ToString(),
                pushedBefore.ToUniversalTime()),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public ValueTask<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        WriteManifestsAsync(
            repository,
            cancellationToken,
            batch => Add(batch, "DELETE FROM tags WHERE repository = $1 AND name = $2", repository, tag),
            batch => batch.BatchCommands[^1].RecordsAffected > 0);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(
            "SELECT name FROM tags WHERE repository = $1 AND name > $2 ORDER BY name LIMIT $3",
            reader => reader.GetString(0),
            cancellationToken,
            repository,
            after ?? string.Empty,
            limit);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ReadAsync(
            "SELECT name, digest, updated_at FROM tags WHERE repository = $1 ORDER BY name",
            reader => new TagEntry(reader.GetString(0), Digest.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken,
            repository);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ReadManifestsAsync($"{SelectManifest} WHERE repository = $1 ORDER BY digest", cancellationToken, repository);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ReadAsync(
            "SELECT digest, linked_at FROM blob_links WHERE repository = $1 ORDER BY digest",
            reader => new BlobLink(Digest.Parse(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1)),
            cancellationToken,
            repository);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default) =>
        ReadManifestsAsync($"{SelectManifest} WHERE repository = $1 AND subject = $2 ORDER BY digest", cancellationToken, repository, subject.ToString());

    /// <inheritdoc />
    public ValueTask<bool> RepositoryExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        ExistsAsync(
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM blob_links WHERE repository = $1)
                        OR EXISTS (SELECT 1 FROM manifests WHERE repository = $1)
                        OR EXISTS (SELECT 1 FROM tags WHERE repository = $1)
            """,
            cancellationToken,
            repository);

    /// <inheritdoc />
    /// <remarks>
    /// A loose index scan: each step finds the next name after the previous one in each table's primary key (three
    /// index probes), so a page of the catalog costs its length, not the number of links, manifests or tags.
    /// </remarks>
    public ValueTask<IReadOnlyList<RepositoryName>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(
            $"{RepositoryNames} SELECT name FROM names WHERE name IS NOT NULL LIMIT $2",
            reader => RepositoryName.Parse(reader.GetString(0)),
            cancellationToken,
            after ?? string.Empty,
            limit);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> ListTagEntriesAsync(RepositoryName repository, TagListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var (cursor, order) = query.Order switch
        {
            TagOrder.Newest => ("(updated_at < $5 OR (updated_at = $5 AND name > $4))", "updated_at DESC, name"),
            TagOrder.Oldest => ("(updated_at > $5 OR (updated_at = $5 AND name > $4))", "updated_at, name"),
            _ => ("name > $4", "name"),
        };
        object[] parameters = query.After is { } after
            ? [repository, Text(NullIfEmpty(query.Contains)), query.Limit, after.Name, after.UpdatedAt.ToUniversalTime()]
            : [repository, Text(NullIfEmpty(query.Contains)), query.Limit];
        return ReadAsync(
            $"""
            SELECT name, digest, updated_at FROM tags
            WHERE repository = $1 AND {TagFilter} {(query.After is null ? "" : "AND " + cursor)}
            ORDER BY {order} LIMIT $3
            """,
            reader => new TagEntry(reader.GetString(0), Digest.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken,
            parameters);
    }

    /// <inheritdoc />
    public async ValueTask<int> CountTagsAsync(RepositoryName repository, string? contains, CancellationToken cancellationToken = default) =>
        (await ReadAsync(
            $"SELECT count(*)::int FROM tags WHERE repository = $1 AND {TagFilter}",
            reader => reader.GetInt32(0),
            cancellationToken,
            repository,
            Text(NullIfEmpty(contains))).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async ValueTask<BlobLinkStatistics> GetBlobLinkStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var repositories = await ReadAsync(
            "SELECT count(*)::int FROM (SELECT repository FROM blob_links UNION SELECT repository FROM manifests UNION SELECT repository FROM tags) AS names",
            reader => reader.GetInt32(0),
            cancellationToken).ConfigureAwait(false);
        // Per distinct blob its size (any link that knows it) and its links; then blobs, links, bytes once, bytes per
        // link and blobs of unknown size.
        var totals = await ReadAsync(
            """
            SELECT count(*)::int, coalesce(sum(links), 0)::int, coalesce(sum(size), 0)::bigint, coalesce(sum(size * links), 0)::bigint, (count(*) - count(size))::int
            FROM (SELECT max(size) AS size, count(*) AS links FROM blob_links GROUP BY digest) AS blobs
            """,
            reader => new BlobLinkStatistics(repositories[0], reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4)),
            cancellationToken).ConfigureAwait(false);
        return totals[0];
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<Digest>> FindBlobsLinkedElsewhereAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default) =>
        FindDigestsAsync("SELECT DISTINCT digest FROM blob_links WHERE digest = ANY($2) AND repository <> $1", repository, digests, cancellationToken);

    // The digests `sql` selects, given the repository as $1 and `digests` as the text array $2.
    private async ValueTask<IReadOnlySet<Digest>> FindDigestsAsync(string sql, RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var found = await ReadAsync(
            sql,
            reader => Digest.Parse(reader.GetString(0)),
            cancellationToken,
            repository,
            digests.Select(d => d.ToString()).ToArray()).ConfigureAwait(false);
        return found.ToHashSet();
    }

    // A tag name filter on $2: null matches every tag.
    private const string TagFilter = "($2::text IS NULL OR strpos(lower(name), lower($2::text)) > 0)";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    // The repository names after $1 in order, one step of three index probes each, evaluated only as far as the
    // outer query reads (a page or a search stops the recursion at its LIMIT).
    private const string RepositoryNames = """
        WITH RECURSIVE names (name) AS (
            SELECT least(
                (SELECT min(repository) FROM blob_links WHERE repository > $1),
                (SELECT min(repository) FROM manifests WHERE repository > $1),
                (SELECT min(repository) FROM tags WHERE repository > $1))
            UNION ALL
            SELECT least(
                (SELECT min(repository) FROM blob_links WHERE repository > names.name),
                (SELECT min(repository) FROM manifests WHERE repository > names.name),
                (SELECT min(repository) FROM tags WHERE repository > names.name))
            FROM names WHERE names.name IS NOT NULL)
        """;

    private DateTimeOffset Now() => _time.GetUtcNow().ToUniversalTime();

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    // One transaction under the repository's lock: the commands `write` adds, then `result` of the executed batch.
    // An explicit transaction, not the batch's implicit one: a batch and its Sync, once sent, commit even when the
    // caller dies while it waits for a lock (a killed collector's unlink would land after its death), whereas an
    // explicit transaction waits for a COMMIT only a live caller sends.
    private async ValueTask<T> WriteAsync<T>(RepositoryName repository, CancellationToken cancellationToken, Action<NpgsqlBatch> write, Func<NpgsqlBatch, T> result)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    Add(batch, AdvisoryLocks.Repository, repository);
                    write(batch);
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result(batch);
                }
            }
        }
    }

    private async ValueTask<bool> ExistsAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = Query(sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
    }

    private ValueTask<IReadOnlyList<ManifestRecord>> ReadManifestsAsync(string sql, CancellationToken cancellationToken, params object[] parameters) =>
        ReadAsync(
            sql,
            reader => new ManifestRecord(
                Digest.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : Digest.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), PostgreSqlJsonContext.Default.IReadOnlyDictionaryStringString))
            {
                ReferencedSize = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                Platforms = reader.IsDBNull(7) ? null : reader.GetFieldValue<string[]>(7),
                PushedAt = reader.GetFieldValue<DateTimeOffset>(8),
            },
            cancellationToken,
            parameters);

    private async ValueTask<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = Query(sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row(reader));
                }

                return rows;
            }
        }
    }

    // A command on a pooled connection of its own: one statement, no transaction.
    private NpgsqlCommand Command(string sql, params object[] parameters) => Command(_dataSource, sql, parameters);

    // A read of one statement that takes no lock, on the reads' data source (multiplexed in the registry's host).
    private NpgsqlCommand Query(string sql, params object[] parameters) => Command(_reads, sql, parameters);

    private static NpgsqlCommand Command(NpgsqlDataSource source, string sql, object[] parameters)
    {
        var command = source.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? Parameter(value));
        }

        return command;
    }

    // A repository name binds as its text.
    private static NpgsqlParameter Parameter(object value) =>
        new() { Value = value is RepositoryName repository ? repository.Value : value };

    // Positional parameters $1, $2…; a value already an NpgsqlParameter (a typed null, jsonb) is added as it is.
    private static void Add(NpgsqlBatch batch, string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? Parameter(value));
        }

        batch.BatchCommands.Add(command);
    }
}
