using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Runs before the server takes requests: migrates the schema or checks that it is current, so an instance never
/// serves from a schema it does not know (a failure stops the host with the reason).
/// </summary>
internal sealed class PostgreSqlSchemaStartup(PostgreSqlMetadataDataSource database, IOptions<PostgreSqlMetadataOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStartup
            ? PostgreSqlSchema.MigrateAsync(database.DataSource, cancellationToken)
            : PostgreSqlSchema.EnsureCurrentAsync(database.DataSource, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The registry's own data source (one pool per host), kept apart from any NpgsqlDataSource the host registers. Its
/// connections prepare the statements they run often (<c>Max Auto Prepare</c>, 64 unless the connection string sets
/// it): the store's statements are a few dozen fixed texts, and a prepared one skips parsing and planning on every pull.
/// </summary>
internal sealed class PostgreSqlMetadataDataSource(IOptions<PostgreSqlMetadataOptions> options) : IAsyncDisposable
{
    private const int PreparedStatementsPerConnection = 64;

    public NpgsqlDataSource DataSource { get; } = Build(options.Value.ConnectionString);

    private static NpgsqlDataSource Build(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = PreparedStatementsPerConnection;
        }

        return builder.Build();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
