using OciRegistry.Core.Tests.Maintenance;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.Maintenance;

/// <summary>Two collectors over two store instances on one SQLite file (as two processes on one host would be).</summary>
public sealed class SqliteCollectorLeaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-lease-").FullName;
    private readonly ManualClock _clock = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TwoCollectorsAtOnce_OneIsRefused_UntilTheOtherHasFinished()
    {
        using var first = Open();
        using var second = Open();
        await TwoCollectorsScenario.OneCollectsAtATimeAsync(first, second, _clock);
    }

    [Fact]
    public async Task AKilledCollector_KeepsTheLeaseUntilItRunsOut_ThenTheNextOneRuns()
    {
        using var first = Open();
        using var second = Open();
        await TwoCollectorsScenario.AKilledCollectorsLeaseRunsOutAsync(first, second, _clock);
    }

    private SqliteMetadataStore Open() => new(Path.Combine(_folder, "metadata.db"), _clock);
}
