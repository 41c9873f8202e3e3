using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class FileSystemBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    protected override IBlobStore CreateStore() => new FileSystemBlobStore(_root.Options);
}

public sealed class FileSystemUploadStoreTests : UploadStoreContract, IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    protected override (IUploadStore Uploads, IBlobStore Blobs) CreateStores()
    {
        var blobs = new FileSystemBlobStore(_root.Options);
        return (new FileSystemUploadStore(blobs), blobs);
    }
}

public sealed class FileSystemMetadataStoreTests : MetadataStoreContract, IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    protected override IMetadataStore CreateStore() => new FileSystemMetadataStore(_root.Options);
}
