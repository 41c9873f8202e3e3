using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using OciRegistry.Core.Digests;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Storage.Tests.PostgreSql;

namespace OciRegistry.Benchmarks.Ui;

/// <summary>
/// The list pages' data in each backend: <see cref="Repositories"/> repositories (<c>team-NN/app-NNNNNN</c>, a layer
/// link, a manifest with its own link, tag <c>latest</c>) and <c>big/app</c> with <see cref="Tags"/> tags. The
/// in-memory store is filled through the contract; SQLite and PostgreSQL in bulk (one transaction, COPY), since 200,000
/// synced single writes would take the benchmark's whole budget on a shared machine: the rows are the ones the
/// contract writes, with one push time per row.
/// </summary>
internal sealed class UiBenchmarkData : IAsyncDisposable
{
    public const int Repositories = 100_000;
    public const int Tags = 10_000;

    private const string MediaType = "application/vnd.oci.image.manifest.v1+json";
    private const long ManifestSize = 500;
    private const long LayerSize = 4096;

    private static readonly Digest Layer = DigestHasher.Compute(new byte[LayerSize]);
    private readonly List<Func<ValueTask>> _cleanups = [];

    private UiBenchmarkData(IMetadataStore store) => Store = store;

    public IMetadataStore Store { get; }

    public static async Task<UiBenchmarkData> CreateAsync(UiBenchmarkBackend backend)
    {
        switch (backend)
        {
            case UiBenchmarkBackend.Sqlite:
                return SeedSqlite();
            case UiBenchmarkBackend.PostgreSql:
                return await SeedPostgreSqlAsync();
            default:
                var store = new InMemoryMetadataStore();
                foreach (var row in Rows())
                {
                    if (row.Tag == "latest")
                    {
                        await store.LinkBlobAsync(RepositoryName.Parse(row.Repository), Layer, LayerSize);
                    }

                    await store.PutManifestAsync(RepositoryName.Parse(row.Repository), Manifest(row.Digest), ManifestReferences.None, row.Tag);
                }

                return new UiBenchmarkData(store);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cleanup in Enumerable.Reverse(_cleanups))
        {
            await cleanup();
        }
    }

    private static ManifestRecord Manifest(Digest digest) => new(digest, MediaType, ManifestSize) { ReferencedSize = LayerSize + 300 };

    // Every manifest with its repository, tag and push time (a millisecond apart, so newest-first has an order).
    private static IEnumerable<(string Repository, Digest Digest, string Tag, DateTimeOffset PushedAt)> Rows()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        for (var i = 0; i < Repositories + Tags; i++)
        {
            var digest = DigestHasher.Compute(BitConverter.GetBytes(i));
            yield return i < Repositories
                ? ($"team-{i % 100:D2}/app-{i:D6}", digest, "latest", start.AddMilliseconds(i))
                : ("big/app", digest, $"1.{i - Repositories}", start.AddMilliseconds(i));
        }
    }

    private static UiBenchmarkData SeedSqlite()
    {
        var folder = Directory.CreateTempSubdirectory("oci-ui-bench-").FullName;
        var path = Path.Combine(folder, "metadata.db");
        var store = new SqliteMetadataStore(path);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            var link = Prepare(connection, transaction, "INSERT INTO blob_links (repository, digest, linked_at, size) VALUES ($r, $d, $t, $s)");
            var manifest = Prepare(connection, transaction, "INSERT INTO manifests (repository, digest, media_type, size, referenced_size, pushed_at) VALUES ($r, $d, $m, $s, $x, $t)");
            var tag = Prepare(connection, transaction, "INSERT INTO tags (repository, name, digest, updated_at) VALUES ($r, $n, $d, $t)");
            foreach (var row in Rows())
            {
                var time = row.PushedAt.ToUnixTimeMilliseconds();
                if (row.Tag == "latest")
                {
                    Run(link, ("$r", row.Repository), ("$d", Layer.ToString()), ("$t", time), ("$s", LayerSize));
                }

                Run(link, ("$r", row.Repository), ("$d", row.Digest.ToString()), ("$t", time), ("$s", ManifestSize));
                Run(manifest, ("$r", row.Repository), ("$d", row.Digest.ToString()), ("$m", MediaType), ("$s", ManifestSize), ("$x", LayerSize + 300), ("$t", time));
                Run(tag, ("$r", row.Repository), ("$n", row.Tag), ("$d", row.Digest.ToString()), ("$t", time));
            }

            transaction.Commit();
        }

        var data = new UiBenchmarkData(store);
        data._cleanups.Add(() =>
        {
            store.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return ValueTask.CompletedTask;
        });
        return data;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static async Task<UiBenchmarkData> SeedPostgreSqlAsync()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        var database = await server.CreateDatabaseAsync();
        await using (var connection = await database.OpenConnectionAsync())
        {
            await CopyAsync(connection, "blob_links (repository, digest, linked_at, size)", Rows().SelectMany(row => row.Tag == "latest"
                ? new object[][] { [row.Repository, Layer.ToString(), row.PushedAt, LayerSize], [row.Repository, row.Digest.ToString(), row.PushedAt, ManifestSize] }
                : [[row.Repository, row.Digest.ToString(), row.PushedAt, ManifestSize]]));
            await CopyAsync(connection, "manifests (repository, digest, media_type, size, referenced_size, pushed_at)", Rows().Select(row => new object[]
            {
                row.Repository, row.Digest.ToString(), MediaType, ManifestSize, LayerSize + 300, row.PushedAt,
            }));
            await CopyAsync(connection, "tags (repository, name, digest, updated_at)", Rows().Select(row => new object[]
            {
                row.Repository, row.Tag, row.Digest.ToString(), row.PushedAt,
            }));
            await using var analyze = new NpgsqlCommand("ANALYZE", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        var data = new UiBenchmarkData(new PostgreSqlMetadataStore(database));
        data._cleanups.Add(async () =>
        {
            await database.DisposeAsync();
            await server.DisposeAsync();
        });
        return data;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, IEnumerable<object[]> rows)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
        foreach (var values in rows)
        {
            await writer.StartRowAsync();
            foreach (var value in values)
            {
                await (value switch
                {
                    DateTimeOffset time => writer.WriteAsync(time.UtcDateTime, NpgsqlDbType.TimestampTz),
                    long number => writer.WriteAsync(number, NpgsqlDbType.Bigint),
                    _ => writer.WriteAsync((string)value, NpgsqlDbType.Text),
                });
            }
        }

        await writer.CompleteAsync();
    }
}
