using System.Net;
using System.Security.Cryptography;
using Npgsql;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server on PostgreSQL metadata: <c>oci-registry migrate</c>, the schema check at startup, several
/// <c>oci-registry serve</c> processes sharing one database and one blob folder, readiness that includes the database,
/// and the database time in traces and metrics.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMetadataTests(PostgreSqlServer postgres) : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Migrate_CreatesTheSchema_ThenHasNothingToDo()
    {
        await using var database = await postgres.CreateDatabaseAsync(migrate: false);
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;

        var first = await MigrateAsync(database);
        var second = await MigrateAsync(database);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"PostgreSQL database '{name}'", first.Output, StringComparison.Ordinal);
        Assert.Contains($"applied schema version {string.Join(", ", Enumerable.Range(1, PostgreSqlSchema.Version))}; now at version {PostgreSqlSchema.Version}.", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"is at schema version {PostgreSqlSchema.Version}: nothing to do.", second.Output, StringComparison.Ordinal);
        await using var count = database.CreateCommand("SELECT max(version) FROM schema_migrations");
        Assert.Equal(PostgreSqlSchema.Version, (int)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ANewerSchema_IsRefused_ByMigrateAndByServe_AndLeftAsItWas()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        await using (var newer = database.CreateCommand($"INSERT INTO schema_migrations (version) VALUES ({PostgreSqlSchema.Version + 1})"))
        {
            await newer.ExecuteNonQueryAsync();
        }

        var migrate = await MigrateAsync(database);
        var serve = await ServerProcess.RunAsync(_folder.Path, null, ServeArguments(database));

        var refusal = $"newer than version {PostgreSqlSchema.Version} that this oci-registry knows";
        Assert.Equal(1, migrate.ExitCode);
        Assert.Contains(refusal, migrate.Error, StringComparison.Ordinal);
        Assert.Equal(2, serve.ExitCode);
        Assert.StartsWith("error: ", serve.Error, StringComparison.Ordinal);
        Assert.Contains(refusal, serve.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", serve.Error, StringComparison.Ordinal);
        await using var version = database.CreateCommand("SELECT max(version) FROM schema_migrations");
        Assert.Equal(PostgreSqlSchema.Version + 1, (int)(await version.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Serve_WithoutMigrateOnStartup_RefusesAnUnmigratedDatabase_SayingToRunMigrate()
    {
        await using var database = await postgres.CreateDatabaseAsync(migrate: false);

        var serve = await ServerProcess.RunAsync(_folder.Path, null, [.. ServeArguments(database), "--OciRegistry:Metadata:PostgreSql:MigrateOnStartup", "false"]);

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("has registry schema version 0; this oci-registry needs version", serve.Error, StringComparison.Ordinal);
        Assert.Contains("Run `oci-registry migrate`", serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithoutAConnectionString_SaysWhatToSet()
    {
        var run = await ServerProcess.RunAsync(_folder.Path, null, "migrate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: OciRegistry:Metadata:PostgreSql:ConnectionString is not set", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeServers_OnOneDatabaseAndOneBlobFolder_ServeEachOthersPushes_AndSeeATagMove()
    {
        await using var database = await postgres.CreateDatabaseAsync(migrate: false);
        Assert.Equal(0, (await MigrateAsync(database)).ExitCode);
        var servers = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                servers.Add(await ServerProcess.StartServingAsync(
                    _folder.Path, null, [.. ServeArguments(database), "--OciRegistry:Metadata:PostgreSql:MigrateOnStartup", "false"]));
            }

            var clients = servers.Select(s => new HttpClient { BaseAddress = new Uri(s.Addresses.Single()) }).ToList();
            var first = await new RegistrySeeder(clients[0]).PushImageAsync("team/app", "stable", [RandomNumberGenerator.GetBytes(3000), RandomNumberGenerator.GetBytes(2000)]);

            foreach (var client in clients.Skip(1))
            {
                Assert.Equal(first.ManifestDigest.ToString(), await TagDigestAsync(client, "stable"));
                foreach (var layer in first.LayerDigests)
                {
                    using var blob = await client.GetAsync($"v2/team/app/blobs/{layer}");
                    Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
                    Assert.Equal(layer.ToString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await blob.Content.ReadAsByteArrayAsync())));
                }
            }

            var moved = await new RegistrySeeder(clients[1]).PushImageAsync("team/app", "stable", [RandomNumberGenerator.GetBytes(1000)]);

            Assert.NotEqual(first.ManifestDigest, moved.ManifestDigest);
            Assert.Equal(moved.ManifestDigest.ToString(), await TagDigestAsync(clients[0], "stable"));
            Assert.Equal(moved.ManifestDigest.ToString(), await TagDigestAsync(clients[2], "stable"));
            Assert.All(servers, s => Assert.Contains("Metadata: PostgreSQL database '", s.Output, StringComparison.Ordinal));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoServers_WithTheNotifiedCache_ServeATagMove_TheWriterAtOnce_TheOtherOnceNotified()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        string[] arguments = [.. ServeArguments(database), "--OciRegistry:Metadata:PostgreSql:NotifiedCache", "true"];
        await using var writer = await ServerProcess.StartServingAsync(_folder.Path, null, arguments);
        await using var reader = await ServerProcess.StartServingAsync(_folder.Path, null, arguments);
        await writer.WaitForOutputAsync("Listening for manifest changes in PostgreSQL");
        await reader.WaitForOutputAsync("Listening for manifest changes in PostgreSQL");
        using var writing = new HttpClient { BaseAddress = new Uri(writer.Addresses.Single()) };
        using var reading = new HttpClient { BaseAddress = new Uri(reader.Addresses.Single()) };
        var first = await new RegistrySeeder(writing).PushImageAsync("team/app", "stable", [RandomNumberGenerator.GetBytes(1000)]);
        Assert.Equal(first.ManifestDigest.ToString(), await TagDigestAsync(writing, "stable"));
        await WaitForTagAsync(reading, first.ManifestDigest.ToString());

        var moved = await new RegistrySeeder(writing).PushImageAsync("team/app", "stable", [RandomNumberGenerator.GetBytes(1000)]);

        Assert.Equal(moved.ManifestDigest.ToString(), await TagDigestAsync(writing, "stable"));
        await WaitForTagAsync(reading, moved.ManifestDigest.ToString());
    }

    [Fact]
    public async Task Readiness_FailsWhileTheDatabaseIsAtANewerSchema_OrGone_LivenessDoesNot()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        await using var server = await ServerProcess.StartServingAsync(_folder.Path, null, ServeArguments(database));
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        using var readyAtFirst = await client.GetAsync("/readyz");

        // Another instance of a newer release migrated the database: storage still works, but this binary's statements
        // no longer mean what the schema says.
        await ExecuteAsync(database, $"INSERT INTO schema_migrations (version) VALUES ({PostgreSqlSchema.Version + 1})");
        using var readyOnNewerSchema = await client.GetAsync("/readyz");
        await ExecuteAsync(database, $"DELETE FROM schema_migrations WHERE version = {PostgreSqlSchema.Version + 1}");
        using var readyAgain = await client.GetAsync("/readyz");
        await postgres.DropDatabaseAsync(database);
        using var readyWithoutDatabase = await client.GetAsync("/readyz");
        using var liveWithoutDatabase = await client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, readyAtFirst.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyOnNewerSchema.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWithoutDatabase.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveWithoutDatabase.StatusCode);
    }

    [Fact]
    public async Task Otlp_ExportsDatabaseSpansAndCommandDurations()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        await using var collector = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, environment,
            [.. ServeArguments(database), "--OciRegistry:Telemetry:Otlp:Endpoint", collector.Endpoint, "--OciRegistry:Telemetry:Otlp:Protocol", "http/protobuf"]);
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        await new RegistrySeeder(client).PushImageAsync("traced/app", "1.0", [RandomNumberGenerator.GetBytes(500)]);

        // Npgsql's spans (its ActivitySource, db.system postgresql, the database name) beside the registry's own, and
        // its command duration histogram.
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        await collector.WaitForAsync("traces", "Npgsql", "postgresql", name, "OciRegistry", "manifest.put");
        await collector.WaitForAsync("metrics", "Npgsql", "db.client.operation.duration");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> TagDigestAsync(HttpClient client, string tag, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/team/app/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    // Pulls until the server answers the tag with the digest: it does once the change's notification reached it. A
    // server that never hears of it answers the old digest until the hang guard fails the test.
    private static async Task WaitForTagAsync(HttpClient client, string digest)
    {
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await TagDigestAsync(client, "stable", hangGuard.Token) != digest)
        {
        }
    }

    private Task<CompletedRun> MigrateAsync(NpgsqlDataSource database) =>
        ServerProcess.RunAsync(_folder.Path, null, "migrate", "--OciRegistry:Metadata:PostgreSql:ConnectionString", database.ConnectionString);

    private string[] ServeArguments(NpgsqlDataSource database) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--OciRegistry:Storage:RootPath", _folder.Storage,
        "--OciRegistry:Metadata:PostgreSql:ConnectionString", database.ConnectionString,
    ];
}
