using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Azure Blob Storage to a registry.</summary>
public static class AzureBlobStorageBuilderExtensions
{
    /// <summary>
    /// Stores blobs (<see cref="AzureBlobStore"/>, with SAS redirects) and uploads (<see cref="AzureBlobUploadStore"/>) in
    /// an Azure Blob Storage container, and the metadata in SQLite at <see cref="AzureBlobStorageOptions.MetadataPath"/>
    /// unless a metadata store is added after this call (e.g. <c>AddPostgreSqlMetadata</c>). The settings are validated
    /// when the host starts.
    /// </summary>
    public static IOciRegistryBuilder AddAzureBlobStorage(this IOciRegistryBuilder builder, Action<AzureBlobStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureBlobStorageOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "OciRegistry:Storage:AzureBlob:ConnectionString must give the storage account's connection string.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Container), "OciRegistry:Storage:AzureBlob:Container must name the container for the registry's blobs.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureBlobStorageOptions>>().Value;
            return new AzureBlobStore(new BlobContainerClient(options.ConnectionString, options.Container), sp.GetService<TimeProvider>());
        });
        return builder.UseStorage(
            sp => sp.GetRequiredService<AzureBlobStore>(),
            sp => new AzureBlobUploadStore(
                sp.GetRequiredService<AzureBlobStore>(),
                sp.GetService<TimeProvider>(),
                sp.GetRequiredService<IUploadSessionStore>(),
                sp.GetRequiredService<IOptions<AzureBlobStorageOptions>>().Value.AcknowledgePatchesBeforeStaging),
            sp => new SqliteMetadataStore(sp.GetRequiredService<IOptions<AzureBlobStorageOptions>>().Value.MetadataPath, sp.GetService<TimeProvider>()));
    }
}
