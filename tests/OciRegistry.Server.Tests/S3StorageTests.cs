using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using OciRegistry.Storage.Tests.S3;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in an S3 bucket (Ceph's RADOS Gateway): pushes, pulls, redirects, readiness.</summary>
[Collection(CephS3Collection.Name)]
public sealed class S3StorageTests(CephS3Server s3) : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ABlobPushedInChunks_IsStoredInTheBucket_AndPulledBack_ByRedirectToo()
    {
        var bucket = s3.CreateBucket();
        await using var server = await ServerProcess.StartServingAsync(_folder.Path, null, [.. ServeArguments(bucket), "--OciRegistry:BlobRedirectLifetime", "00:05:00"]);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Addresses.Single()) };
        var content = RandomNumberGenerator.GetBytes(21 * 1024 * 1024 + 5);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

        var location = await ChunkedPush.PushAsync(client, "team/app", content, chunkBytes: 3 * 1024 * 1024, digest);

        Assert.Contains($"Storage: S3 bucket '{bucket}' at {s3.Options.ServiceUrl}", server.Output, StringComparison.Ordinal);
        Assert.Equal(content.Length, (await s3.Client.GetObjectMetadataAsync(bucket, "blobs/" + digest)).ContentLength);
        Assert.Empty((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "uploads/" })).S3Objects ?? []);
        using var redirect = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        using var store = new HttpClient();
        Assert.Equal(content, await store.GetByteArrayAsync(redirect.Headers.Location));
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_Fails_WhileTheBucketIsMissing()
    {
        await using var server = await ServerProcess.StartServingAsync(_folder.Path, null, ServeArguments("missing-" + Guid.NewGuid().ToString("N")));
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private string[] ServeArguments(string bucket) =>
    [
        "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
        "--OciRegistry:Storage:S3:ServiceUrl", s3.Options.ServiceUrl,
        "--OciRegistry:Storage:S3:Bucket", bucket,
        "--OciRegistry:Storage:S3:AccessKey", s3.Options.AccessKey,
        "--OciRegistry:Storage:S3:SecretKey", s3.Options.SecretKey,
    ];
}
