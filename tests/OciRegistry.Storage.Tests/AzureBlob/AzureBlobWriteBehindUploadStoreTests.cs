using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>The upload contract on Azure with PATCHes acknowledged before their bytes are staged.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobWriteBehindUploadStoreTests(AzuriteServer azurite) : UploadStoreContract
{
    protected override (IUploadStore Uploads, IBlobStore Blobs) CreateStores()
    {
        var blobs = new AzureBlobStore(azurite.CreateContainer());
        return (new AzureBlobUploadStore(blobs, acknowledgePatchesBeforeStaging: true), blobs);
    }
}
