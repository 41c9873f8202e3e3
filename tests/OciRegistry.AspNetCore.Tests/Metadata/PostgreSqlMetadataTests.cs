using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Metadata;

/// <summary>A registry composed of file-system blobs and PostgreSQL metadata (<c>AddPostgreSqlMetadata</c>), over HTTP.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMetadataTests(PostgreSqlServer server)
{
    [Fact]
    public async Task PushedImage_IsPulledByTag_FromMetadataInTheDatabase_AndHealthzChecksIt()
    {
        await using var database = await server.CreateDatabaseAsync(migrate: false);
        await using var registry = await StartAsync(database.ConnectionString, migrateOnStartup: true);

        var image = await registry.Seeder.PushImageAsync("team/app", "1.0", ["layer"u8.ToArray()]);
        var pulled = await registry.Client.GetAsync("/v2/team/app/manifests/1.0");
        var health = await registry.Client.GetAsync("healthz");

        Assert.IsType<PostgreSqlMetadataStore>(registry.Services.GetRequiredService<IMetadataStore>());
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(image.ManifestDigest.ToString(), Assert.Single(pulled.Headers.GetValues("Docker-Content-Digest")));
        await using var tags = database.CreateCommand("SELECT digest FROM tags WHERE repository = 'team/app' AND name = '1.0'");
        Assert.Equal(image.ManifestDigest.ToString(), await tags.ExecuteScalarAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsUnhealthy_WhenTheDatabaseIsGone()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var registry = await StartAsync(database.ConnectionString, migrateOnStartup: false);
        Assert.Equal(HttpStatusCode.OK, (await registry.Client.GetAsync("healthz")).StatusCode);

        await server.DropDatabaseAsync(database);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await registry.Client.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task ADatabaseWithoutTheSchema_StopsTheHost_WhenItIsNotToMigrate()
    {
        await using var database = await server.CreateDatabaseAsync(migrate: false);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(database.ConnectionString, migrateOnStartup: false));

        Assert.Contains("oci-registry migrate", refused.Message, StringComparison.Ordinal);
    }

    private static Task<InProcessRegistry> StartAsync(string connectionString, bool migrateOnStartup) =>
        InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = s =>
            {
                s.AddOciRegistry().AddPostgreSqlMetadata(p =>
                {
                    p.ConnectionString = connectionString;
                    p.MigrateOnStartup = migrateOnStartup;
                });
                s.AddHealthChecks().AddOciRegistryStorage();
            };
            o.App = app => app.MapHealthChecks("/healthz");
        });
}
