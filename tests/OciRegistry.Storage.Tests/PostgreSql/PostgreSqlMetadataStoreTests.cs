using Microsoft.Extensions.Options;
using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>
/// The metadata contract on PostgreSQL, through the data sources the registry's host builds (reads multiplexed,
/// connections not reset on return to the pool).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMetadataStoreTests(PostgreSqlServer server) : MetadataStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? _database;
    private PostgreSqlMetadataDataSource? _registry;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _registry = new PostgreSqlMetadataDataSource(Options.Create(new PostgreSqlMetadataOptions { ConnectionString = _database.ConnectionString }));
    }

    public async Task DisposeAsync()
    {
        await _registry!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    protected override IMetadataStore CreateStore(TimeProvider time) => new PostgreSqlMetadataStore(_registry!.DataSource, time, _registry.Reads);
}
