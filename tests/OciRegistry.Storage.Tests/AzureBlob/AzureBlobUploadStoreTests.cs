using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.AzureBlob;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobUploadStoreTests(AzuriteServer azurite) : UploadStoreContract
{
    protected override (IUploadStore Uploads, IBlobStore Blobs) CreateStores()
    {
        var blobs = new AzureBlobStore(azurite.CreateContainer());
        return (new AzureBlobUploadStore(blobs), blobs);
    }
}
