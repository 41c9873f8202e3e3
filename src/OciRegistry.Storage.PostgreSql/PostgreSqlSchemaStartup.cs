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
/// The registry's own data sources (one pool each per host), kept apart from any NpgsqlDataSource the host registers.
/// Their connections prepare the statements they run often (<c>Max Auto Prepare</c>, 64 unless the connection string
/// sets it): the store's statements are a few dozen fixed texts, and a prepared one skips parsing and planning on every
/// pull. A connection going back to the pool is not reset (<c>No Reset On Close</c>): the store leaves no session state
/// (its locks and settings are the transaction's), and the reset cost PostgreSQL a third of its CPU per manifest GET.
/// </summary>
internal sealed class PostgreSqlMetadataDataSource(IOptions<PostgreSqlMetadataOptions> options) : IAsyncDisposable
{
    private const int PreparedStatementsPerConnection = 64;
    private const int ListenerKeepAliveSeconds = 10;

    /// <summary>Writes, transactions and statements that may wait for a lock: a connection of their own each.</summary>
    public NpgsqlDataSource DataSource { get; } = Build(options.Value.ConnectionString, multiplexing: false);

    /// <summary>
    /// The store's single-statement reads, multiplexed: many requests' statements share a few connections, written
    /// and answered together, which cut PostgreSQL's CPU per manifest GET to a quarter (benchmarks/RESULTS-POSTGRESQL.md).
    /// Only for statements that take no lock: one waiting would hold up every statement queued behind it.
    /// </summary>
    public NpgsqlDataSource Reads { get; } = Build(options.Value.ConnectionString, multiplexing: true);

    /// <summary>
    /// The notified cache's one listening connection (<see cref="PostgreSqlManifestChangeListener"/>): not pooled, so
    /// closing it ends its <c>LISTEN</c>; named, so an operator can find it in <c>pg_stat_activity</c>; and kept alive
    /// (a query after <see cref="ListenerKeepAliveSeconds"/> idle, unless the connection string sets one), so a link
    /// that died silently is noticed and the cache bypassed.
    /// </summary>
    public NpgsqlDataSource Listener { get; } = BuildListener(options.Value.ConnectionString);

    private static NpgsqlDataSource BuildListener(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.ApplicationName ??= PostgreSqlManifestChangeListener.ApplicationName;
        if (builder.ConnectionStringBuilder.KeepAlive == 0)
        {
            builder.ConnectionStringBuilder.KeepAlive = ListenerKeepAliveSeconds;
        }

        return builder.Build();
    }

    private static NpgsqlDataSource Build(string connectionString, bool multiplexing)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = PreparedStatementsPerConnection;
        }

        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.Multiplexing = multiplexing;
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync().ConfigureAwait(false);
        await Reads.DisposeAsync().ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
