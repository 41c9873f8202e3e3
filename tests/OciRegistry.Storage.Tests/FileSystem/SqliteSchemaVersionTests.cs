using Microsoft.Data.Sqlite;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// A metadata file written before blob sizes were kept opens: its manifests' links learn their sizes from the manifest
/// rows, the other links stay of unknown size until linked again, and a file a newer registry wrote is refused.
/// </summary>
public sealed class SqliteSchemaVersionTests : IDisposable
{
    private const string Repository = "team/app";
    private const long ManifestSize = 321;

    private readonly TemporaryRoot _root = new();

    private string DatabasePath => Path.Combine(_root.Path, "metadata.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    [Fact]
    public async Task AFileWithoutSizes_GetsItsManifestSizes_AndCountsTheRestUnknown_UntilLinkedAgain()
    {
        var layer = TestContent.DigestOf("layer");
        var manifest = TestContent.DigestOf("manifest");
        Execute(
            SqliteSchema.Create
            + $"""
               INSERT INTO blob_links (repository, digest, linked_at) VALUES ('{Repository}', '{layer}', 1), ('{Repository}', '{manifest}', 1);
               INSERT INTO manifests (repository, digest, media_type, size, pushed_at) VALUES ('{Repository}', '{manifest}', 'application/vnd.oci.image.manifest.v1+json', {ManifestSize}, 1);
               """);

        using var store = new SqliteMetadataStore(DatabasePath);

        var before = await store.GetRepositoryStatisticsAsync(RepositoryName.Parse(Repository));
        Assert.Equal((ManifestSize, 1), (before.Size, before.BlobsOfUnknownSize));
        Assert.Equal(new BlobLinkStatistics(1, 2, 2, ManifestSize, ManifestSize, BlobsOfUnknownSize: 1), await store.GetBlobLinkStatisticsAsync());
        Assert.True(await store.LinkBlobAsync(RepositoryName.Parse(Repository), layer, 5));
        var after = await store.GetRepositoryStatisticsAsync(RepositoryName.Parse(Repository));
        Assert.Equal((ManifestSize + 5, 0), (after.Size, after.BlobsOfUnknownSize));
    }

    [Fact]
    public void AFileANewerRegistryWrote_IsRefused_AndLeftUntouched()
    {
        var newer = SqliteSchemaVersions.Scripts.Count + 1;
        Execute(SqliteSchema.Create + $"PRAGMA user_version = {newer};");

        var refused = Assert.Throws<InvalidOperationException>(() => new SqliteMetadataStore(DatabasePath));

        Assert.Contains($"schema version {newer}, newer than this registry's", refused.Message, StringComparison.Ordinal);
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal((long)newer, version.ExecuteScalar());
    }

    [Fact]
    public void OpeningTwice_RunsEachVersionOnce()
    {
        using var first = new SqliteMetadataStore(DatabasePath);
        using var second = new SqliteMetadataStore(DatabasePath);

        using var connection = first.Open();
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT count(*) FROM pragma_table_info('blob_links') WHERE name = 'size'";
        Assert.Equal(1L, columns.ExecuteScalar());
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
