using Microsoft.Data.Sqlite;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// An acknowledged image survives a power cut: the database commits through a write-ahead log that a synced commit
/// writes to disk whole before it returns (a cut cannot be simulated in a test; the settings that guarantee it can be
/// read back). Blob links commit unsynced and the manifest put that references them synced, which carries them.
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

    [Fact]
    public async Task BlobLinks_CommitUnsynced_TheManifestPutReferencingThem_CommitsSynced()
    {
        var store = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));
        using (var connection = store.Open())
        {
            // Triggers record the synchronous setting (1 NORMAL, 2 FULL) of the connection each write ran on.
            Scalar(connection, """
                CREATE TABLE commit_modes (written TEXT NOT NULL, synchronous INTEGER NOT NULL);
                CREATE TRIGGER link_inserted AFTER INSERT ON blob_links BEGIN INSERT INTO commit_modes SELECT 'blob_links', synchronous FROM pragma_synchronous; END;
                CREATE TRIGGER link_updated AFTER UPDATE ON blob_links BEGIN INSERT INTO commit_modes SELECT 'blob_links', synchronous FROM pragma_synchronous; END;
                CREATE TRIGGER manifest_inserted AFTER INSERT ON manifests BEGIN INSERT INTO commit_modes SELECT 'manifests', synchronous FROM pragma_synchronous; END;
                """);
        }

        var repository = RepositoryName.Parse("team/app");
        var layer = TestContent.DigestOf("layer");
        var config = TestContent.DigestOf("config");
        Assert.True(await store.LinkBlobAsync(repository, layer, 10));
        Assert.True(await store.LinkBlobAsync(repository, config, 2));
        Assert.Equal(["blob_links 1", "blob_links 1"], TakeCommitModes(store));

        var manifest = new ManifestRecord(TestContent.DigestOf("manifest"), "application/vnd.oci.image.manifest.v1+json", 300, null, null, null);
        var put = await store.PutManifestAsync(repository, manifest, new ManifestReferences([config, layer], []), "v1");

        Assert.Equal(ManifestPutStatus.Stored, put.Status);
        Assert.Equal(["blob_links 2", "manifests 2"], TakeCommitModes(store));
    }

    private static List<string> TakeCommitModes(SqliteMetadataStore store)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM commit_modes RETURNING written || ' ' || synchronous";
        using var reader = command.ExecuteReader();
        var modes = new List<string>();
        while (reader.Read())
        {
            modes.Add(reader.GetString(0));
        }

        return modes;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
