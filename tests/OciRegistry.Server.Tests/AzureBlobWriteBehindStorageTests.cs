using Azure.Storage.Blobs;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server on Azure Blob Storage (Azurite) with PATCHes acknowledged before their bytes are staged: the chunked
/// push goes through the write-behind path from its second PATCH on, and the start-up summary says which promise a
/// PATCH's answer makes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobWriteBehindStorageTests(AzuriteServer azurite) : AzureBlobServerTests(azurite)
{
    protected override string[] MoreSettings => ["--OciRegistry:Storage:AzureBlob:AcknowledgePatchesBeforeStaging", "true"];

    protected override string StorageLine(string store) =>
        $"Azure Blob container '{store}' at {new BlobServiceClient(Azurite.ConnectionString).Uri}, PATCHes acknowledged before staging";
}
