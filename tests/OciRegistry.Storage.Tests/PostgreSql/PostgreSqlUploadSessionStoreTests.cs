using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>Two stores, each with a connection pool of its own, on one database: two registry instances.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlUploadSessionStoreTests(PostgreSqlServer server) : UploadSessionStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? _first;
    private NpgsqlDataSource? _second;

    public async Task InitializeAsync()
    {
        _first = await server.CreateDatabaseAsync();
        _second = NpgsqlDataSource.Create(_first.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _second!.DisposeAsync();
        await _first!.DisposeAsync();
    }

    protected override (IUploadSessionStore A, IUploadSessionStore B) CreateInstances(TimeProvider time) =>
        (new PostgreSqlMetadataStore(_first!, time), new PostgreSqlMetadataStore(_second!, time));
}
