using Amazon.S3.Model;
using OciRegistry.Storage.Tests.S3;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in an S3 bucket (Ceph's RADOS Gateway).</summary>
[Collection(CephS3Collection.Name)]
public sealed class S3StorageTests(CephS3Server s3) : ObjectStorageServerTests
{
    // Under the 5 MiB an S3 part needs at least, so the store parks PATCHes until a part is full.
    protected override int ChunkBytes => 3 * 1024 * 1024;

    protected override Task<string> CreateStoreAsync() => Task.FromResult(s3.CreateBucket());

    protected override string[] ServeArguments(string store) =>
    [
        "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", Folder.Storage,
        "--OciRegistry:Storage:S3:ServiceUrl", s3.Options.ServiceUrl,
        "--OciRegistry:Storage:S3:Bucket", store,
        "--OciRegistry:Storage:S3:AccessKey", s3.Options.AccessKey,
        "--OciRegistry:Storage:S3:SecretKey", s3.Options.SecretKey,
    ];

    protected override string StorageLine(string store) => $"S3 bucket '{store}' at {s3.Options.ServiceUrl}";

    protected override async Task<long> StoredLengthAsync(string store, string name) =>
        (await s3.Client.GetObjectMetadataAsync(store, name)).ContentLength;

    protected override async Task<IReadOnlyList<string>> ListAsync(string store, string prefix) =>
        [.. ((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = store, Prefix = prefix })).S3Objects ?? []).Select(o => o.Key)];
}
