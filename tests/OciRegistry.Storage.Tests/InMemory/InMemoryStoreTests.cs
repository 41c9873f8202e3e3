using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.InMemory;

public sealed class InMemoryBlobStoreTests : BlobStoreContract
{
    protected override IBlobStore CreateStore() => new InMemoryBlobStore();
}

public sealed class InMemoryUploadStoreTests : UploadStoreContract
{
    protected override (IUploadStore Uploads, IBlobStore Blobs) CreateStores()
    {
        var blobs = new InMemoryBlobStore();
        return (new InMemoryUploadStore(blobs), blobs);
    }
}

public sealed class InMemoryMetadataStoreTests : MetadataStoreContract
{
    private InMemoryMetadataStore? _store;

    // In one process, "another instance over the same data" is the same object.
    protected override IMetadataStore CreateStore(TimeProvider time) => _store ??= new InMemoryMetadataStore(time);
}
