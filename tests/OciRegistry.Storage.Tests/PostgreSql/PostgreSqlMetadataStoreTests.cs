using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMetadataStoreTests(PostgreSqlServer server) : MetadataStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? _database;

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    protected override IMetadataStore CreateStore(TimeProvider time) => new PostgreSqlMetadataStore(_database!, time);
}
