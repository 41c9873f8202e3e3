using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.AzureBlob;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteServer azurite) : BlobStoreContract
{
    protected override IBlobStore CreateStore() => new AzureBlobStore(azurite.CreateContainer());
}
