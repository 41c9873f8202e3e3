using OciRegistry.Core.InMemory;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>Two collectors on one in-memory store; the storage tests run the same scenarios on SQLite and PostgreSQL.</summary>
public sealed class CollectorLeaseTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public Task TwoCollectorsAtOnce_OneIsRefused_UntilTheOtherHasFinished()
    {
        var store = new InMemoryMetadataStore(_clock);
        return TwoCollectorsScenario.OneCollectsAtATimeAsync(store, store, _clock);
    }

    [Fact]
    public Task AKilledCollector_KeepsTheLeaseUntilItRunsOut_ThenTheNextOneRuns()
    {
        var store = new InMemoryMetadataStore(_clock);
        return TwoCollectorsScenario.AKilledCollectorsLeaseRunsOutAsync(store, store, _clock);
    }
}
