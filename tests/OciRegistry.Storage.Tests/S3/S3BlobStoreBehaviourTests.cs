using Amazon.S3.Model;
using OciRegistry.Storage.S3;

namespace OciRegistry.Storage.Tests.S3;

/// <summary>What the S3 store does beyond the blob contract, against the Ceph gateway.</summary>
[Collection(CephS3Collection.Name)]
public sealed class S3BlobStoreBehaviourTests(CephS3Server s3)
{
    [Fact]
    public async Task Put_OverACopyOfAnotherLength_ReplacesIt()
    {
        var bucket = s3.CreateBucket();
        var store = new S3BlobStore(s3.Client, bucket);
        var content = TestContent.Bytes(1_000, seed: 2);
        var digest = TestContent.DigestOf(content);
        await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "blobs/" + digest, InputStream = new MemoryStream(content[..999]) });

        await store.PutAsync(digest, content);

        await using var blob = await store.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task TwoInstancesStoringOneDigestAtOnce_LeaveOneIntactBlob_AndNothingElse()
    {
        var bucket = s3.CreateBucket();
        var content = TestContent.Bytes(2 * 1024 * 1024, seed: 4);
        var digest = TestContent.DigestOf(content);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await new S3BlobStore(s3.Client, bucket).PutAsync(digest, content))));

        var objects = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["blobs/" + digest], objects.S3Objects.Select(o => o.Key));
        await using var blob = await new S3BlobStore(s3.Client, bucket).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task ReadUri_ServesTheBlob_WholeAndByRange_WithoutCredentials()
    {
        var store = new S3BlobStore(s3.Client, s3.CreateBucket());
        var content = TestContent.Bytes(10_000, seed: 6);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);

        var uri = await store.GetReadUriAsync(digest, DateTimeOffset.UtcNow.AddMinutes(5));

        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(uri));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { Range = new(100, 199) } };
        using var response = await http.SendAsync(ranged);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ReadUri_IsNull_ForAMissingBlob() =>
        Assert.Null(await new S3BlobStore(s3.Client, s3.CreateBucket()).GetReadUriAsync(TestContent.DigestOf("missing"), DateTimeOffset.UtcNow.AddMinutes(5)));
}
