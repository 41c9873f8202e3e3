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

    /// <summary>
    /// Whether a PATCH is answered (202) once its bytes are received and hashed, and staged to Azure in the background,
    /// instead of once they are staged; off by default. A chunked client sends its next PATCH only after that answer, so
    /// with small PATCHes this is what lets their bytes go to Azure in large blocks, several at once. What it gives up:
    /// if the instance dies within moments of a PATCH, that PATCH's bytes may not be stored, and the upload's next
    /// request fails (the client starts the blob again); nothing is ever stored under a digest it does not match, and a
    /// blob's commit (the final PUT) still answers only once every byte is stored. Another instance that gets the
    /// session's next request waits until the bytes are staged. A session's first PATCH on an instance is always staged
    /// before it is answered.
    /// </summary>
    public bool AcknowledgePatchesBeforeStaging { get; set; }
}
