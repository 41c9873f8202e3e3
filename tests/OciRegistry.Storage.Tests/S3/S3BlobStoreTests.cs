using OciRegistry.Core.Storage;
using OciRegistry.Storage.S3;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.S3;

[Collection(CephS3Collection.Name)]
public sealed class S3BlobStoreTests(CephS3Server s3) : BlobStoreContract
{
    protected override IBlobStore CreateStore() => new S3BlobStore(s3.Client, s3.CreateBucket());
}
