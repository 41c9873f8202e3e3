namespace OciRegistry.Storage.AzureBlob;

/// <summary>Where the Azure stores keep blobs and uploads (<c>OciRegistry:Storage:AzureBlob</c> in the standalone server).</summary>
public sealed class AzureBlobStorageOptions
{
    /// <summary>
    /// The storage account's connection string (<c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…</c>, or
    /// Azurite's). With an account key the store can also sign read URLs for blob redirects. Required.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The container blobs (<c>blobs/</c>) and upload sessions (<c>uploads/</c>) go to; it must exist. Required.</summary>
    public string Container { get; set; } = string.Empty;

    /// <summary>
    /// The SQLite database file of the registry's metadata (default <c>metadata.db</c> in the working directory), unless
    /// a metadata store is added after this one (<c>AddPostgreSqlMetadata</c>, which several instances can share).
    /// </summary>
    public string MetadataPath { get; set; } = "metadata.db";
}
