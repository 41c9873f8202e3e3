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
        await TestContent.PatchAsync(uploads, session.Id, 0, content.AsMemory(0, 20 * MiB)); // two 8 MiB parts, then a 4 MiB small piece
        for (var offset = 20 * MiB; offset < content.Length; offset += MiB)
        {
            await TestContent.PatchAsync(uploads, session.Id, offset, content.AsMemory(offset, MiB));
        }

        // Each time the small pieces and a 1 MiB PATCH reach 5 MiB, they are sent as the next part of the one upload
        // (each byte sent at most twice): 4 + 1, then 1 + 1 + 1 + 1 + 1.
        var (_, state) = (await uploads.ReadLatestAsync(session.Id, CancellationToken.None))!.Value;
        var open = Assert.Single(state.Pieces);
        Assert.Equal([8L * MiB, 8L * MiB, 5L * MiB, 5L * MiB], open.Unfinished!.Parts.Select(part => part.Length));
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

    // The chunked push on one instance: every PATCH adds its parts to one multipart upload, which the commit completes
    // with the short tail as its last part, so the blob is one object copied whole (no UploadPartCopy of the bytes).
    [Fact]
    public async Task PatchesOnOneInstance_AddPartsToOneUnfinishedUpload_WhichTheCommitCompletesWithTheTail()
    {
        var (uploads, blobs) = CreateS3();
        var content = TestContent.Bytes((3 * 16 * MiB) + (2 * MiB), seed: 10);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        for (var offset = 0; offset < content.Length; offset += 16 * MiB)
        {
            await TestContent.PatchAsync(uploads, session.Id, offset, content.AsMemory(offset, Math.Min(16 * MiB, content.Length - offset)));
        }

        var (_, state) = (await uploads.ReadLatestAsync(session.Id, CancellationToken.None))!.Value;
        Assert.Collection(
            state.Pieces,
            open => Assert.Equal([1, 2, 3, 4, 5, 6], open.Unfinished!.Parts.Select(part => part.Number)),
            tail => Assert.Equal((2 * MiB, null), (tail.Length, tail.Unfinished)));
        var unfinished = await s3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = uploads.Bucket });
        Assert.Equal([state.Pieces[0].Key], unfinished.MultipartUploads.Select(upload => upload.Key));

        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, content.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        await AssertNoStaleWriterLeftAsync(uploads);
    }

    // Another instance never adds parts to an upload it did not start (a stale writer of the first could be sending parts
    // of the same numbers): it completes it and goes on in an upload of its own; the first, back again, does the same.
    [Fact]
    public async Task PatchesAlternatingBetweenInstances_CompleteTheOthersUpload_AndCommitTheBytesInOrder()
    {
        var (first, blobs) = CreateS3();
        var second = new S3UploadStore(blobs);
        var content = TestContent.Bytes(4 * 16 * MiB, seed: 11);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));

        for (var (offset, turn) = (0, 0); offset < content.Length; (offset, turn) = (offset + (16 * MiB), turn + 1))
        {
            await TestContent.PatchAsync(turn % 2 == 0 ? first : second, session.Id, offset, content.AsMemory(offset, 16 * MiB));
        }

        var (_, state) = (await second.ReadLatestAsync(session.Id, CancellationToken.None))!.Value;
        Assert.Equal([null, null, null, 2], state.Pieces.Select(piece => piece.Unfinished?.Parts.Count));
        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await second.CommitAsync(session.Id, digest, content.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        await AssertNoStaleWriterLeftAsync(first);
    }

    // A stale writer adding parts to its instance's unfinished upload after another instance took the session over: the
    // other completes the upload with those parts too (Ceph completes only with every part listed) but counts only the
    // recorded ones, and the stale writer, fenced, leaves the upload alone.
    [Fact]
    public async Task AStaleWriterWhosePartsWentIntoTheSharedUpload_NeverChangesTheCommittedBytes()
    {
        var (first, blobs) = CreateS3();
        var recorded = TestContent.Bytes(16 * MiB, seed: 12);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(first, session.Id, 0, recorded);
        var (_, stale) = await first.OpenWriterAsync(session.Id, recorded.Length);
        await stale!.WriteAsync(new(TestContent.Bytes(33 * MiB, seed: 13))); // parts 3 to 6 sent, 1 MiB buffered

        var second = new S3UploadStore(blobs);
        var live = TestContent.Bytes(3 * MiB, seed: 14);
        await TestContent.PatchAsync(second, session.Id, recorded.Length, live);
        try
        {
            await stale.DisposeAsync();
        }
        catch (Amazon.S3.AmazonS3Exception)
        {
            // A part it was sending when the other instance completed the upload may be refused.
        }

        var expected = recorded.Concat(live).ToArray();
        Assert.Equal(expected.Length, (await first.GetAsync(session.Id))!.Length);
        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.Committed, await first.CommitAsync(session.Id, digest, expected.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(expected, await TestContent.ReadAllAsync(blob!));
        await AssertNoStaleWriterLeftAsync(first);
    }

    // A writer still open when its session is deleted (on another instance, its lease run out) may record a state when
    // it closes, as STORAGE.md allows: that session has no row, and expiry's delete removes what the writer left too.
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
        Assert.Empty((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uploads.Bucket, Prefix = "uploads/" })).S3Objects ?? []);

        try
        {
            await writer.DisposeAsync();
        }
        catch (Amazon.S3.AmazonS3Exception)
        {
            // Its first part was still being sent when the upload was aborted.
        }

        await uploads.DeleteAsync(session.Id);
        await AssertNoStaleWriterLeftAsync(uploads);
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
        await TestContent.PatchAsync(first, session.Id, 0, earlier); // first remembers 2 MiB
        await TestContent.PatchAsync(second, session.Id, MiB, other); // second keeps the first MiB and appends: 1.5 MiB

        await TestContent.PatchAsync(first, session.Id, MiB + (MiB / 2), last);

        var expected = earlier[..MiB].Concat(other).Concat(last).ToArray();
        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.LengthMismatch, await second.CommitAsync(session.Id, digest, MiB + (MiB / 2)));
        Assert.Equal(UploadCommitStatus.Committed, await second.CommitAsync(session.Id, digest, expected.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(expected, await TestContent.ReadAllAsync(blob!));
    }

    // A writer opened on a remembered state claims it while its bytes arrive. When another instance wrote meanwhile and
    // left the session shorter than the writer's offset, the writer fails before it sends or records anything (a
    // registry's session row, which refuses such an offset first, keeps requests from getting there).
    [Fact]
    public async Task AWriterWhoseRememberedStateWasCutShortOnAnotherInstance_FailsAndStoresNothing()
    {
        var (first, _) = CreateS3();
        var second = new S3UploadStore(_blobs[first]);
        var earlier = TestContent.Bytes(2 * MiB, seed: 15);
        var other = TestContent.Bytes(MiB / 2, seed: 16);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(first, session.Id, 0, earlier); // first remembers 2 MiB
        await TestContent.PatchAsync(second, session.Id, MiB, other); // 1.5 MiB now

        var (status, writer) = await first.OpenWriterAsync(session.Id, earlier.Length);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await writer!.WriteAsync(new(TestContent.Bytes(MiB, seed: 17)));
        await Assert.ThrowsAsync<IOException>(async () => await writer.DisposeAsync());

        Assert.Equal(MiB + (MiB / 2), (await first.GetAsync(session.Id))!.Length);
        var last = TestContent.Bytes(MiB, seed: 18);
        await TestContent.PatchAsync(first, session.Id, MiB + (MiB / 2), last); // the session is free again
        await using var written = await second.OpenReadAsync(session.Id);
        Assert.Equal(earlier[..MiB].Concat(other).Concat(last).ToArray(), await TestContent.ReadAllAsync(written!));
        await AssertNoStaleWriterLeftAsync(first);
    }

    // The claim that goes out while the body arrives is not the request's to cancel: a request cancelled once its writer
    // opened (a client gone mid-body) still has the bytes it wrote recorded, as the registry's session row counts them.
    [Fact]
    public async Task AWriterOpenedOnARememberedState_RecordsItsBytes_WhenItsRequestIsCancelled()
    {
        var (uploads, _) = CreateS3();
        var earlier = TestContent.Bytes(MiB, seed: 19);
        var cut = TestContent.Bytes(MiB, seed: 20);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(uploads, session.Id, 0, earlier); // remembered
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        var (status, writer) = await uploads.OpenWriterAsync(session.Id, earlier.Length, gone.Token);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(new(cut), gone.Token);
        }

        await using var written = await uploads.OpenReadAsync(session.Id);
        Assert.Equal(earlier.Concat(cut).ToArray(), await TestContent.ReadAllAsync(written!));
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
