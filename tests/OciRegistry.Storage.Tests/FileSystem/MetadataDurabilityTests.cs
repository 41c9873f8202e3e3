using Microsoft.Data.Sqlite;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// An acknowledged metadata write survives a power cut: the database commits through a write-ahead log that every
/// commit syncs to disk before it returns (a cut cannot be simulated in a test; the settings that guarantee it can be
/// read back).
/// </summary>
public sealed class MetadataDurabilityTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void EveryConnection_CommitsThroughASyncedWriteAheadLog()
    {
        var store = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));

        using var connection = store.Open();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA synchronous")); // FULL
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
