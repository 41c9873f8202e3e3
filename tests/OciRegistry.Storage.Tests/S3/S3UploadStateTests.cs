using System.Text;
using Amazon.S3.Model;
using OciRegistry.Storage.S3;

namespace OciRegistry.Storage.Tests.S3;

/// <summary>
/// A session's state object is read back from the bucket, where anyone with the bucket's keys can change it: a
/// repository name that no longer parses makes the session unknown to get and list, not an exception.
/// </summary>
[Collection(CephS3Collection.Name)]
public sealed class S3UploadStateTests(CephS3Server s3)
{
    [Fact]
    public async Task ASessionWhoseStateNamesNoValidRepository_IsUnknown_ToGetAndList()
    {
        var uploads = new S3UploadStore(new S3BlobStore(s3.Client, s3.CreateBucket()));
        var damaged = await TestContent.UploadAsync(uploads, "team/app", TestContent.Bytes(100, seed: 1));
        var intact = await TestContent.UploadAsync(uploads, "team/other", TestContent.Bytes(100, seed: 2));
        var states = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uploads.Bucket, Prefix = $"uploads/{damaged}/state/" });
        Assert.NotEmpty(states.S3Objects);
        foreach (var state in states.S3Objects)
        {
            using var read = await s3.Client.GetObjectAsync(uploads.Bucket, state.Key);
            using var reader = new StreamReader(read.ResponseStream, Encoding.UTF8);
            var json = await reader.ReadToEndAsync();
            Assert.Contains("\"team/app\"", json, StringComparison.Ordinal);
            await s3.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = uploads.Bucket,
                Key = state.Key,
                ContentBody = json.Replace("\"team/app\"", "\"Team/App\"", StringComparison.Ordinal),
            });
        }

        Assert.Null(await uploads.GetAsync(damaged));
        Assert.Equal([intact], await uploads.ListAsync().Select(session => session.Id).ToListAsync());
    }
}
