using OciRegistry.Core.Digests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// The calls that answer for a whole page of the web interface in one round trip (its repositories' aggregates, its
/// tags' manifests, a search), where asking once per row cost a round trip per row.
/// </summary>
public sealed partial class PostgreSqlMetadataStore
{
    // Each name of the array $1 joins one aggregate per table (LATERAL: an index range of its primary key), so a
    // repository's rows are visited once per table whatever the number of aggregates taken from them.
    private const string RepositoryStatisticsOfNames = """
        SELECT r.name, t.tags, m.manifests, b.links, m.largest, greatest(m.pushed, t.updated), b.size, b.unknown
        FROM (SELECT DISTINCT name FROM unnest($1::text[]) AS n (name)) AS r
        CROSS JOIN LATERAL (SELECT count(*)::int AS tags, max(updated_at) AS updated FROM tags WHERE repository = r.name) AS t
        CROSS JOIN LATERAL (SELECT count(*)::int AS manifests, coalesce(max(size + coalesce(referenced_size, 0)), 0)::bigint AS largest,
                                   max(pushed_at) AS pushed FROM manifests WHERE repository = r.name) AS m
        CROSS JOIN LATERAL (SELECT count(*)::int AS links, coalesce(sum(size), 0)::bigint AS size, (count(*) - count(size))::int AS unknown
                            FROM blob_links WHERE repository = r.name) AS b
        """;

    /// <inheritdoc />
    /// <remarks>
    /// One filtered scan of the three tables' primary keys merged in name order (no step-by-step walk): a common text
    /// stops at <paramref name="limit"/> matches early in the keys, a rare one reads each key once in a single query.
    /// </remarks>
    public ValueTask<IReadOnlyList<RepositoryName>> SearchRepositoriesAsync(string contains, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contains);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(
            """
            SELECT DISTINCT repository FROM (
                SELECT repository FROM blob_links WHERE repository > $1 AND strpos(lower(repository), lower($3)) > 0
                UNION ALL
                SELECT repository FROM manifests WHERE repository > $1 AND strpos(lower(repository), lower($3)) > 0
                UNION ALL
                SELECT repository FROM tags WHERE repository > $1 AND strpos(lower(repository), lower($3)) > 0) AS matches
            ORDER BY repository LIMIT $2
            """,
            reader => RepositoryName.Parse(reader.GetString(0)),
            cancellationToken,
            after ?? string.Empty,
            limit,
            Text(contains));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>> GetRepositoryStatisticsAsync(IReadOnlyCollection<RepositoryName> repositories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        var rows = await ReadAsync(
            RepositoryStatisticsOfNames,
            reader => (
                Name: RepositoryName.Parse(reader.GetString(0)),
                Statistics: new RepositoryStatistics(
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5))
                {
                    Size = reader.GetInt64(6),
                    BlobsOfUnknownSize = reader.GetInt32(7),
                }),
            cancellationToken,
            // One argument, the text[]: a bare string[] would spread over the params object[] (array covariance).
            (object)repositories.Select(r => r.Value).ToArray()).ConfigureAwait(false);
        return rows.ToDictionary(row => row.Name, row => row.Statistics);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<Digest, ManifestRecord>> GetManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var manifests = await ReadManifestsAsync(
            $"{SelectManifest} WHERE repository = $1 AND digest = ANY ($2::text[])",
            cancellationToken,
            repository,
            digests.Select(d => d.ToString()).ToArray()).ConfigureAwait(false);
        return manifests.ToDictionary(m => m.Digest);
    }
}
