using Npgsql;
using OciRegistry.Core.Tests.Maintenance;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>Two collectors on two registry instances (two data sources, two connection pools) on one database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCollectorLeaseTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private NpgsqlDataSource? _first;
    private NpgsqlDataSource? _second;

    public async Task InitializeAsync()
    {
        _first = await server.CreateDatabaseAsync();
        _second = NpgsqlDataSource.Create(_first.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _first!.DisposeAsync();
        await _second!.DisposeAsync();
    }

    [Fact]
    public Task TwoCollectorsAtOnce_OneIsRefused_UntilTheOtherHasFinished() =>
        TwoCollectorsScenario.OneCollectsAtATimeAsync(new PostgreSqlMetadataStore(_first!, _clock), new PostgreSqlMetadataStore(_second!, _clock), _clock);

    [Fact]
    public Task AKilledCollector_KeepsTheLeaseUntilItRunsOut_ThenTheNextOneRuns() =>
        TwoCollectorsScenario.AKilledCollectorsLeaseRunsOutAsync(new PostgreSqlMetadataStore(_first!, _clock), new PostgreSqlMetadataStore(_second!, _clock), _clock);
}
