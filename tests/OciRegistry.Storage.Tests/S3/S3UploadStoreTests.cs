using OciRegistry.Core.Storage;
using OciRegistry.Storage.S3;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.S3;

[Collection(CephS3Collection.Name)]
public sealed class S3UploadStoreTests(CephS3Server s3) : UploadStoreContract
{
    protected override (IUploadStore Uploads, IBlobStore Blobs) CreateStores()
    {
        var blobs = new S3BlobStore(s3.Client, s3.CreateBucket());
        return (new S3UploadStore(blobs), blobs);
    }
}
