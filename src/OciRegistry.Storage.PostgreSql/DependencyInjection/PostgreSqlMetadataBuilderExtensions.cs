using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds PostgreSQL metadata to a registry.</summary>
public static class PostgreSqlMetadataBuilderExtensions
{
    /// <summary>
    /// Keeps the registry's metadata (repositories, manifests, tags, links, referrers) in PostgreSQL
    /// (<see cref="PostgreSqlMetadataStore"/>), so several instances can share it; blobs and uploads stay with the
    /// storage registered before this call (e.g. <c>AddFileSystemStorage</c> on a shared folder). The schema is
    /// migrated or checked when the host starts (<see cref="PostgreSqlMetadataOptions.MigrateOnStartup"/>); the
    /// connection string is validated then too. With <see cref="PostgreSqlMetadataOptions.NotifiedCache"/> on, each
    /// instance also keeps one connection listening for changes of manifests and tags.
    /// </summary>
    public static IOciRegistryBuilder AddPostgreSqlMetadata(this IOciRegistryBuilder builder, Action<PostgreSqlMetadataOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlMetadataOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "OciRegistry:Metadata:PostgreSql:ConnectionString must name the PostgreSQL database for the registry's metadata.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<PostgreSqlMetadataDataSource>();
        builder.Services.TryAddSingleton<NotifiedManifestCache>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlSchemaStartup>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlManifestChangeListener>(sp => new PostgreSqlManifestChangeListener(
            sp.GetRequiredService<PostgreSqlMetadataDataSource>().Listener,
            sp.GetRequiredService<NotifiedManifestCache>(),
            sp.GetRequiredService<IOptions<PostgreSqlMetadataOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<PostgreSqlManifestChangeListener>>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IMetadataStore>(sp =>
        {
            var database = sp.GetRequiredService<PostgreSqlMetadataDataSource>();
            return new PostgreSqlMetadataStore(database.DataSource, sp.GetService<TimeProvider>(), database.Reads)
            {
                NotifiedCache = sp.GetRequiredService<IOptions<PostgreSqlMetadataOptions>>().Value.NotifiedCache ? sp.GetRequiredService<NotifiedManifestCache>() : null,
            };
        }));
        return builder;
    }
}
