using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Storage;

/// <summary>
/// The catalog and the tag list on PostgreSQL metadata, with <see cref="Count"/> repositories and one repository of
/// <see cref="Count"/> tags: a page of 100 over loopback HTTP (server plus transfer), first and deep in the list. Target:
/// the first page under 10 ms at the server and the same for 1,000 and 100,000 (keyset pages over the primary keys, where
/// the reference registry walks its storage folders). The PostgreSQL server is the tests' own (initdb + pg_ctl in a
/// temporary folder, fsync off).
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlListingBenchmarks
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    private PostgreSqlServer _postgres = null!;
    private NpgsqlDataSource _database = null!;
    private InProcessRegistry _registry = null!;

    /// <summary>How many repositories the catalog lists and how many tags the big repository has.</summary>
    [Params(1_000, 100_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _postgres = new PostgreSqlServer();
        await _postgres.InitializeAsync();
        _database = await _postgres.CreateDatabaseAsync();

        // Rows written in bulk, as the store writes them (a manifest per repository, the tags of one manifest): a
        // hundred thousand pushes through the registry would take minutes and measure nothing more here.
        await using (var seed = _database.CreateCommand($"""
            INSERT INTO manifests (repository, digest, media_type, size, pushed_at)
            SELECT 'team/app-' || lpad(i::text, 6, '0'), '{Digest}', 'application/vnd.oci.image.manifest.v1+json', 400, now()
            FROM generate_series(1, {Count}) AS i
            UNION ALL SELECT 'big/app', '{Digest}', 'application/vnd.oci.image.manifest.v1+json', 400, now();
            INSERT INTO tags (repository, name, digest, updated_at)
            SELECT 'big/app', 'v' || lpad(i::text, 6, '0'), '{Digest}', now() FROM generate_series(1, {Count}) AS i;
            ANALYZE;
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }

        _registry = await InProcessRegistry.StartAsync(o => o.Services = services =>
            services.AddOciRegistryCore().AddPostgreSqlMetadata(p => p.ConnectionString = _database.ConnectionString));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _registry.DisposeAsync();
        await _database.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>The catalog's first 100 repositories.</summary>
    [Benchmark]
    public Task<string> Catalog_FirstPage() => _registry.Client.GetStringAsync(new Uri("/v2/_catalog?n=100", UriKind.Relative));

    /// <summary>100 repositories after the middle one (the keyset cursor a Link header carries).</summary>
    [Benchmark]
    public Task<string> Catalog_PageInTheMiddle() => _registry.Client.GetStringAsync(new Uri($"/v2/_catalog?n=100&last=team/app-{Count / 2:D6}", UriKind.Relative));

    /// <summary>The first 100 tags of the big repository.</summary>
    [Benchmark]
    public Task<string> Tags_FirstPage() => _registry.Client.GetStringAsync(new Uri("/v2/big/app/tags/list?n=100", UriKind.Relative));

    /// <summary>100 tags after the middle one.</summary>
    [Benchmark]
    public Task<string> Tags_PageInTheMiddle() => _registry.Client.GetStringAsync(new Uri($"/v2/big/app/tags/list?n=100&last=v{Count / 2:D6}", UriKind.Relative));
}
