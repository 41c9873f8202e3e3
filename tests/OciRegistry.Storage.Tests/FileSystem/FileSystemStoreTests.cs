using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;
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

public sealed class SqliteMetadataStoreTests : MetadataStoreContract, IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    protected override IMetadataStore CreateStore(TimeProvider time) => new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"), time);
}
