using Npgsql;
using OciRegistry.Core.Upstream;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlUpstreamCacheRecordsTests(PostgreSqlServer server) : UpstreamCacheRecordsContract, IAsyncLifetime
{
    private NpgsqlDataSource? _database;

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    protected override IUpstreamCacheRecords CreateRecords() => new PostgreSqlMetadataStore(_database!);
}
