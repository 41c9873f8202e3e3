using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Sqlite;

/// <summary>The calls that answer for a whole page of the web interface at once: its repositories' aggregates, its tags' manifests.</summary>
public sealed partial class SqliteMetadataStore
{
    // The names come as one JSON array ($names). Each table is read once for all of them, grouped by repository along
    // its primary key, so a repository's rows are visited once whatever the number of aggregates taken from them.
    private const string RepositoryStatisticsOfNames = """
        WITH names (name) AS (SELECT DISTINCT value FROM json_each($names))
        SELECT names.name, coalesce(t.tags, 0), coalesce(m.manifests, 0), coalesce(b.links, 0), coalesce(m.largest, 0),
               max(m.pushed, coalesce(t.updated, 0)), coalesce(b.size, 0), coalesce(b.unknown, 0)
        FROM names
        LEFT JOIN (SELECT repository, count(*) AS tags, max(updated_at) AS updated FROM tags
                   WHERE repository IN (SELECT name FROM names) GROUP BY repository) t ON t.repository = names.name
        LEFT JOIN (SELECT repository, count(*) AS manifests, max(size + coalesce(referenced_size, 0)) AS largest, max(pushed_at) AS pushed FROM manifests
                   WHERE repository IN (SELECT name FROM names) GROUP BY repository) m ON m.repository = names.name
        LEFT JOIN (SELECT repository, count(*) AS links, sum(size) AS size, count(*) - count(size) AS unknown FROM blob_links
                   WHERE repository IN (SELECT name FROM names) GROUP BY repository) b ON b.repository = names.name
        """;

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>> GetRepositoryStatisticsAsync(IReadOnlyCollection<RepositoryName> repositories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        return ValueTask.FromResult(Read<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>>(connection =>
        {
            using var command = Command(connection, null, RepositoryStatisticsOfNames, default, default, ("$names", JsonArray(repositories.Select(r => r.Value))));
            using var reader = command.ExecuteReader();
            var statistics = new Dictionary<RepositoryName, RepositoryStatistics>(repositories.Count);
            while (reader.Read())
            {
                statistics[RepositoryName.Parse(reader.GetString(0))] = new RepositoryStatistics(
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : FromMilliseconds(reader.GetInt64(5)))
                {
                    Size = reader.GetInt64(6),
                    BlobsOfUnknownSize = reader.GetInt32(7),
                };
            }

            return statistics;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<Digest, ManifestRecord>> GetManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return ValueTask.FromResult(Read<IReadOnlyDictionary<Digest, ManifestRecord>>(connection => ReadManifests(
            connection,
            $"{SelectManifest} WHERE repository = $repository AND digest IN (SELECT value FROM json_each($digests))",
            repository,
            default,
            ("$digests", JsonArray(digests.Select(d => d.ToString())))).ToDictionary(m => m.Digest)));
    }

    private static string JsonArray(IEnumerable<string> values) =>
        JsonSerializer.Serialize(values.ToList(), SqliteJsonContext.Default.IReadOnlyListString);
}
