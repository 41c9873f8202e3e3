using OciRegistry.Core.References;
using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSchemaTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Migrate_AppliesEveryVersionOnce_ThenNothing()
    {
        await using var database = await server.CreateDatabaseAsync(migrate: false);

        var first = await PostgreSqlSchema.MigrateAsync(database);
        var second = await PostgreSqlSchema.MigrateAsync(database);

        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.Version), first);
        Assert.Empty(second);
        await PostgreSqlSchema.EnsureCurrentAsync(database);
    }

    [Fact]
    public async Task Migrate_FromTwoInstancesStartingTogether_AppliesEachVersionOnce()
    {
        await using var one = await server.CreateDatabaseAsync(migrate: false);
        await using var two = NpgsqlDataSource.Create(one.ConnectionString);

        var applied = await Task.WhenAll(
            Task.Run(() => PostgreSqlSchema.MigrateAsync(one)),
            Task.Run(() => PostgreSqlSchema.MigrateAsync(two)));

        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.Version), applied.SelectMany(versions => versions).Order());
        await PostgreSqlSchema.EnsureCurrentAsync(two);
    }

    [Fact]
    public async Task EnsureCurrent_RefusesADatabaseWithoutTheSchema_NamingMigrate()
    {
        await using var database = await server.CreateDatabaseAsync(migrate: false);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.EnsureCurrentAsync(database));

        Assert.Contains("schema version 0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("oci-registry migrate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewerSchema_IsRefused_AndLeftUntouched()
    {
        await using var database = await server.CreateDatabaseAsync();
        var store = new PostgreSqlMetadataStore(database);
        await store.LinkBlobAsync(RepositoryName.Parse("team/app"), TestContent.DigestOf("layer"), 100);
        var newer = PostgreSqlSchema.Version + 1;
        await using (var command = database.CreateCommand($"INSERT INTO schema_migrations (version) VALUES ({newer})"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var migrate = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.MigrateAsync(database));
        var check = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.EnsureCurrentAsync(database));

        foreach (var refused in new[] { migrate, check })
        {
            Assert.Contains($"schema version {newer}, newer than version {PostgreSqlSchema.Version}", refused.Message, StringComparison.Ordinal);
        }

        await using var versions = database.CreateCommand("SELECT max(version) FROM schema_migrations");
        Assert.Equal(newer, await versions.ExecuteScalarAsync());
        Assert.True(await store.IsBlobLinkedAsync(RepositoryName.Parse("team/app"), TestContent.DigestOf("layer")));
    }

    [Fact]
    public async Task LinksFromBeforeSizesWereKept_GetTheirManifestSizes_AndCountTheRestUnknown_UntilLinkedAgain()
    {
        await using var database = await server.CreateDatabaseAsync(migrate: false);
        var sizesVersion = 1 + PostgreSqlMigrations.Scripts.Select((script, index) => (script, index)).Single(s => s.script.Contains("ADD COLUMN size", StringComparison.Ordinal)).index;
        await ExecuteAsync(database, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        for (var version = 1; version < sizesVersion; version++)
        {
            await ExecuteAsync(database, PostgreSqlMigrations.Scripts[version - 1] + $"; INSERT INTO schema_migrations (version) VALUES ({version})");
        }

        var layer = TestContent.DigestOf("layer");
        var manifest = TestContent.DigestOf("manifest");
        await ExecuteAsync(
            database,
            $"""
             INSERT INTO blob_links (repository, digest, linked_at) VALUES ('team/app', '{layer}', now()), ('team/app', '{manifest}', now());
             INSERT INTO manifests (repository, digest, media_type, size, pushed_at) VALUES ('team/app', '{manifest}', 'application/vnd.oci.image.manifest.v1+json', 321, now());
             """);

        Assert.Contains(sizesVersion, await PostgreSqlSchema.MigrateAsync(database));

        var store = new PostgreSqlMetadataStore(database);
        var before = await store.GetRepositoryStatisticsAsync(RepositoryName.Parse("team/app"));
        Assert.Equal((321L, 1), (before.Size, before.BlobsOfUnknownSize));
        Assert.Equal(new BlobLinkStatistics(1, 2, 2, 321, 321, BlobsOfUnknownSize: 1), await store.GetBlobLinkStatisticsAsync());
        Assert.True(await store.LinkBlobAsync(RepositoryName.Parse("team/app"), layer, 5));
        var after = await store.GetRepositoryStatisticsAsync(RepositoryName.Parse("team/app"));
        Assert.Equal((326L, 0), (after.Size, after.BlobsOfUnknownSize));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
