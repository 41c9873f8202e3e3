using System.Net;
using System.Security.Cryptography;
using Npgsql;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server on PostgreSQL metadata as a cluster watches it: readiness includes the database, and the traces and
/// metrics show the time spent in it.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlObservabilityTests(PostgreSqlServer postgres) : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

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

    private string[] ServeArguments(NpgsqlDataSource database) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--OciRegistry:Storage:RootPath", _folder.Storage,
        "--OciRegistry:Metadata:PostgreSql:ConnectionString", database.ConnectionString,
    ];
}
