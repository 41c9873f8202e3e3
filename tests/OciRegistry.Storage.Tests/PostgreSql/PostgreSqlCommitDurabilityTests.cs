using OciRegistry.Core.References;
using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>
/// Which writes wait for the write-ahead log's flush: a blob link does not, the manifest put that references it does
/// (and PostgreSQL, flushing its log in order, makes the link durable with it). The tests' cluster runs with
/// <c>synchronous_commit = off</c>, so this database's connections turn it back on, PostgreSQL's default; triggers
/// record the setting each write's transaction ran with, and the transaction.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCommitDurabilityTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    private NpgsqlDataSource? _database;
    private NpgsqlDataSource? _synced;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        await using var setup = _database.CreateCommand(
            """
            CREATE TABLE commit_modes (written text NOT NULL, synchronous_commit text NOT NULL, transaction bigint NOT NULL DEFAULT txid_current());
            CREATE FUNCTION record_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO commit_modes VALUES (TG_TABLE_NAME, current_setting('synchronous_commit'));
                RETURN NEW;
            END $$;
            CREATE TRIGGER record_commit_mode AFTER INSERT OR UPDATE ON blob_links FOR EACH ROW EXECUTE FUNCTION record_commit_mode();
            CREATE TRIGGER record_commit_mode AFTER INSERT OR UPDATE ON manifests FOR EACH ROW EXECUTE FUNCTION record_commit_mode();
            CREATE TRIGGER record_commit_mode AFTER DELETE ON upload_sessions FOR EACH ROW EXECUTE FUNCTION record_commit_mode();
            """);
        await setup.ExecuteNonQueryAsync();
        _synced = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Options = "-c synchronous_commit=on" }.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _synced!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task BlobLinks_CommitUnsynced_TheManifestPutReferencingThem_CommitsSynced()
    {
        var store = new PostgreSqlMetadataStore(_synced!);
        var layer = TestContent.DigestOf("layer");
        var config = TestContent.DigestOf("config");
        Assert.True(await store.LinkBlobAsync(Repository, layer, 10));
        Assert.True(await store.LinkBlobAsync(Repository, config, 2));
        Assert.Equal(["blob_links off", "blob_links off"], await TakeCommitModesAsync());

        var manifest = new ManifestRecord(TestContent.DigestOf("manifest"), "application/vnd.oci.image.manifest.v1+json", 300, null, null, null);
        var put = await store.PutManifestAsync(Repository, manifest, new ManifestReferences([config, layer], []), "v1");

        Assert.Equal(ManifestPutStatus.Stored, put.Status);
        Assert.Equal(["blob_links on", "manifests on"], await TakeCommitModesAsync());
    }

    [Fact]
    public async Task AFinishedUpload_ItsLinkAndTheEndOfItsSession_CommitUnsyncedInOneTransaction()
    {
        var store = new PostgreSqlMetadataStore(_synced!);
        var session = new UploadSession(Guid.NewGuid().ToString("N"), Repository, DateTimeOffset.UtcNow, 0);
        await store.CreateUploadSessionAsync(session);

        var ended = await store.LinkBlobAndEndUploadSessionAsync(store, Repository, TestContent.DigestOf("layer"), 10, session.Id, 0);

        Assert.Equal(UploadCommitStatus.Committed, ended);
        Assert.Equal(1, await CountTransactionsAsync());
        Assert.Equal(["blob_links off", "upload_sessions off"], await TakeCommitModesAsync());
    }

    // How many transactions made the writes recorded since the last take.
    private async Task<long> CountTransactionsAsync()
    {
        await using var count = _database!.CreateCommand("SELECT count(DISTINCT transaction) FROM commit_modes");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    // The writes recorded since the last call, as "table setting", sorted.
    private async Task<string[]> TakeCommitModesAsync()
    {
        await using var take = _database!.CreateCommand("DELETE FROM commit_modes RETURNING written || ' ' || synchronous_commit");
        var modes = new List<string>();
        await using var reader = await take.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            modes.Add(reader.GetString(0));
        }

        return [.. modes.Order(StringComparer.Ordinal)];
    }
}
