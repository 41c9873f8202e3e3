using OciRegistry.Core.References;
using Amazon.S3.Model;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.S3;

namespace OciRegistry.Storage.Tests.S3;

/// <summary>What the S3 upload store does beyond the upload contract, against Ceph's RADOS Gateway.</summary>
[Collection(CephS3Collection.Name)]
public sealed class S3UploadStoreBehaviourTests(CephS3Server s3)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task SmallPatchesAfterALargeOne_ArePiecesOfTheirOwn_UntilTogetherTheyReachAPart_ThenCommitWhole()
    {
        var (uploads, blobs) = Create();
        var content = TestContent.Bytes(26 * MiB, seed: 1);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await WriteAsync(uploads, session.Id, 0, content.AsMemory(0, 20 * MiB)); // a multipart piece: 16 + 4 MiB
        for (var offset = 20 * MiB; offset < content.Length; offset += MiB)
        {
            await WriteAsync(uploads, session.Id, offset, content.AsMemory(offset, MiB));
        }

        // Five 1 MiB PATCHes: four small pieces, then the fifth sent with the four read back (each byte sent at most twice).
        var (_, state) = (await uploads.ReadLatestAsync(session.Id, CancellationToken.None))!.Value;
        Assert.Equal([20L * MiB, 5L * MiB, 1L * MiB], state.Pieces.Select(piece => piece.Length));
        await using (var written = await uploads.OpenReadAsync(session.Id))
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(written!));
        }

        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, content.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Empty((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uploads.Bucket, Prefix = "uploads/" })).S3Objects ?? []);
    }

    [Fact]
    public async Task AWriterOpenedInsideALargePiece_CountsOnlyItsPrefix_AndTheCommitCopiesThatRange()
    {
        var (uploads, blobs) = Create();
        var first = TestContent.Bytes(20 * MiB, seed: 2);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await WriteAsync(uploads, session.Id, 0, first);
        var cut = 12 * MiB + 17;
        var next = TestContent.Bytes(MiB, seed: 3);

        await WriteAsync(uploads, session.Id, cut, next);

        var expected = first[..cut].Concat(next).ToArray();
        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, expected.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(expected, await TestContent.ReadAllAsync(blob!));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStaleWriter_OnAnotherInstance_WhoseSessionWasTakenOver_NeverChangesTheBytes(bool staleClosesFirst)
    {
        var (uploads, blobs) = Create();
        var otherInstance = new S3UploadStore(blobs);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, stale) = await uploads.OpenWriterAsync(session.Id, 0);
        await stale!.WriteAsync(new(TestContent.Bytes(17 * MiB, seed: 4))); // one part sent, the rest buffered

        var (status, live) = await otherInstance.OpenWriterAsync(session.Id, 0);
        Assert.Equal(UploadWriteStatus.Opened, status);
        var liveBytes = TestContent.Bytes(3 * MiB, seed: 5);
        await live!.WriteAsync(new(liveBytes));
        if (staleClosesFirst)
        {
            await stale.DisposeAsync();
            await live.DisposeAsync();
        }
        else
        {
            await live.DisposeAsync();
            await stale.DisposeAsync();
        }

        await using var written = await uploads.OpenReadAsync(session.Id);
        Assert.Equal(liveBytes, await TestContent.ReadAllAsync(written!));
        Assert.Empty((await s3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = uploads.Bucket })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task Delete_AbortsAWritersUnfinishedMultipartUpload_AndRemovesEveryObject()
    {
        var (uploads, _) = Create();
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        await writer!.WriteAsync(new(TestContent.Bytes(17 * MiB, seed: 6)));

        Assert.True(await uploads.DeleteAsync(session.Id));

        Assert.Empty((await s3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = uploads.Bucket })).MultipartUploads ?? []);
        Assert.Null(await uploads.GetAsync(session.Id));
        await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(async () => await writer.DisposeAsync()); // its piece is gone
        Assert.Empty((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uploads.Bucket, Prefix = "uploads/" })).S3Objects ?? []);
    }

    private (S3UploadStore Uploads, S3BlobStore Blobs) Create()
    {
        var blobs = new S3BlobStore(s3.Client, s3.CreateBucket());
        return (new S3UploadStore(blobs), blobs);
    }

    private static async Task WriteAsync(IUploadStore uploads, string id, long offset, ReadOnlyMemory<byte> content)
    {
        var (status, writer) = await uploads.OpenWriterAsync(id, offset);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(TestContent.Segmented(content, segmentLength: 256 * 1024));
        }
    }
}
