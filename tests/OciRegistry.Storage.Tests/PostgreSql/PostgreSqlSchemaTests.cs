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
        await store.LinkBlobAsync(RepositoryName.Parse("team/app"), TestContent.DigestOf("layer"));
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
}
