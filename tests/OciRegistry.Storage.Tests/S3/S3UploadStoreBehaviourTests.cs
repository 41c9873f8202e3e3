using Amazon.S3.Model;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.S3;

namespace OciRegistry.Storage.Tests.S3;

/// <summary>What the S3 upload store does beyond the upload contract, against Ceph's RADOS Gateway.</summary>
[Collection(CephS3Collection.Name)]
public sealed class S3UploadStoreBehaviourTests(CephS3Server s3) : ObjectUploadStoreBehaviour
{
    private readonly Dictionary<IUploadStore, S3BlobStore> _blobs = [];

    [Fact]
    public async Task SmallPatchesAfterALargeOne_ArePiecesOfTheirOwn_UntilTogetherTheyReachAPart_ThenCommitWhole()
    {
        var (uploads, blobs) = CreateS3();
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
    public async Task Delete_AbortsAWritersUnfinishedMultipartUpload_AndRemovesEveryObject()
    {
        var (uploads, _) = CreateS3();
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        await writer!.WriteAsync(new(TestContent.Bytes(17 * MiB, seed: 6)));

        Assert.True(await uploads.DeleteAsync(session.Id));

        await AssertNoStaleWriterLeftAsync(uploads);
        Assert.Null(await uploads.GetAsync(session.Id));
        await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(async () => await writer.DisposeAsync()); // its piece is gone
        Assert.Empty((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uploads.Bucket, Prefix = "uploads/" })).S3Objects ?? []);
    }

    // Each instance remembers the newest state it wrote and claims the number after it without reading the states; when
    // another instance wrote meanwhile, the claim finds the number taken and the instance reads the newest state.
    [Fact]
    public async Task AnInstanceWhoseRememberedStateIsNoLongerTheNewest_ReadsTheNewest_BeforeItWritesOrCommits()
    {
        var (first, blobs) = CreateS3();
        var second = new S3UploadStore(blobs);
        var earlier = TestContent.Bytes(2 * MiB, seed: 7);
        var other = TestContent.Bytes(MiB / 2, seed: 8);
        var last = TestContent.Bytes(MiB, seed: 9);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await WriteAsync(first, session.Id, 0, earlier); // first remembers 2 MiB
        await WriteAsync(second, session.Id, MiB, other); // second keeps the first MiB and appends: 1.5 MiB

        await WriteAsync(first, session.Id, MiB + (MiB / 2), last);

        var expected = earlier[..MiB].Concat(other).Concat(last).ToArray();
        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.LengthMismatch, await second.CommitAsync(session.Id, digest, MiB + (MiB / 2)));
        Assert.Equal(UploadCommitStatus.Committed, await second.CommitAsync(session.Id, digest, expected.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(expected, await TestContent.ReadAllAsync(blob!));
    }

    private protected override (IUploadStore Uploads, IBlobStore Blobs) Create() => CreateS3();

    // S3 has no lease: the rows' writer lease ran out, and a writer on another instance (its own store) claims the session.
    private protected override Task<IUploadStore> TakeOverAsync(IUploadStore uploads, string id) =>
        Task.FromResult<IUploadStore>(new S3UploadStore(_blobs[uploads]));

    // A stale or cut-off writer's multipart upload is aborted, not left to bill for its parts.
    private protected override async Task AssertNoStaleWriterLeftAsync(IUploadStore uploads) =>
        Assert.Empty((await s3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = ((S3UploadStore)uploads).Bucket })).MultipartUploads ?? []);

    private (S3UploadStore Uploads, S3BlobStore Blobs) CreateS3()
    {
        var blobs = new S3BlobStore(s3.Client, s3.CreateBucket());
        var uploads = new S3UploadStore(blobs);
        _blobs[uploads] = blobs;
        return (uploads, blobs);
    }
}
