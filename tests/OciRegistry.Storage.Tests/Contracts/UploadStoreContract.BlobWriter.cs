using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary><see cref="IUploadStore.OpenBlobWriterAsync"/>: a blob whose digest is known up front, written to its final place.</summary>
public abstract partial class UploadStoreContract
{
    // Past one block of the Azure store (8 MiB), so that store stages blocks instead of putting the blob whole.
    private const int SeveralBlocks = 9 * 1024 * 1024 + 123;

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(SeveralBlocks)]
    public async Task BlobWriter_Commit_StoresExactlyTheBytes_AndEndsTheSession(int length)
    {
        var content = TestContent.Bytes(length, seed: 21);
        var digest = TestContent.DigestOf(content);
        var session = await Uploads.CreateAsync(Repository);

        Assert.Equal(UploadCommitStatus.Committed, await WriteBlobAsync(session.Id, digest, content, commit: true));

        Assert.Null(await Uploads.GetAsync(session.Id));
        Assert.Equal(length, await Blobs.GetSizeAsync(digest));
        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Equal(new[] { digest }, (await Blobs.ListAsync().ToListAsync()).Select(entry => entry.Digest));
        Assert.Empty(await Uploads.ListAsync().ToListAsync());
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(SeveralBlocks)]
    public async Task BlobWriter_NotCommitted_LeavesNothingUnderTheDigest(int length)
    {
        // What the caller does when the bytes do not hash to the digest, or the request dies mid-body.
        var claimed = TestContent.DigestOf("the digest the client claimed");
        var session = await Uploads.CreateAsync(Repository);

        await WriteBlobAsync(session.Id, claimed, TestContent.Bytes(length, seed: 22), commit: false);

        Assert.Null(await Blobs.GetSizeAsync(claimed));
        Assert.Null(await Blobs.OpenAsync(claimed));
        Assert.Empty(await Blobs.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task BlobWriter_NotCommitted_LeavesTheSessionEmptyForTheNextWriter()
    {
        var content = TestContent.Bytes(3_000, seed: 23);
        var session = await Uploads.CreateAsync(Repository);
        await WriteBlobAsync(session.Id, TestContent.DigestOf(content), TestContent.Bytes(5_000, seed: 24), commit: false);

        await WriteAsync(session.Id, 0, content);

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, TestContent.DigestOf(content), content.Length));
        await using var blob = await Blobs.OpenAsync(TestContent.DigestOf(content));
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(SeveralBlocks)]
    public async Task BlobWriter_AfterAnAbortedOne_CommitsItsOwnBytes(int length)
    {
        var content = TestContent.Bytes(length, seed: 25);
        var digest = TestContent.DigestOf(content);
        var aborted = await Uploads.CreateAsync(Repository);
        var flipped = content.ToArray();
        flipped[^1] ^= 1;
        await WriteBlobAsync(aborted.Id, digest, flipped, commit: false);
        var session = await Uploads.CreateAsync(Repository);

        Assert.Equal(UploadCommitStatus.Committed, await WriteBlobAsync(session.Id, digest, content, commit: true));

        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(SeveralBlocks)]
    public async Task BlobWriters_OfTheSameBlob_Interleaved_BothCommit_OneCopy(int length)
    {
        var content = TestContent.Bytes(length, seed: 26);
        var digest = TestContent.DigestOf(content);
        var first = await OpenBlobWriterAsync(digest);
        var second = await OpenBlobWriterAsync(digest);
        await using (first)
        await using (second)
        {
            var half = length / 2;
            await first.WriteAsync(TestContent.Segmented(content.AsMemory(0, half), segmentLength: 65_536));
            await second.WriteAsync(TestContent.Segmented(content.AsMemory(0, half), segmentLength: 65_536));
            await first.WriteAsync(TestContent.Segmented(content.AsMemory(half), segmentLength: 65_536));
            await second.WriteAsync(TestContent.Segmented(content.AsMemory(half), segmentLength: 65_536));

            Assert.Equal(UploadCommitStatus.Committed, await first.CommitAsync());
            Assert.Equal(UploadCommitStatus.Committed, await second.CommitAsync());
        }

        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Single(await Blobs.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task BlobWriters_OfTheSameBlob_Concurrent_AllCommit_OneCopy()
    {
        var content = TestContent.Bytes(SeveralBlocks, seed: 27);
        var digest = TestContent.DigestOf(content);

        var committed = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var session = await Uploads.CreateAsync(Repository);
            return await WriteBlobAsync(session.Id, digest, content, commit: true);
        })));

        Assert.All(committed, status => Assert.Equal(UploadCommitStatus.Committed, status));
        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task BlobWriter_Commit_OverAStoredCopyWithOtherBytes_RepairsIt()
    {
        var content = TestContent.Bytes(2_000, seed: 28);
        var digest = TestContent.DigestOf(content);
        var flipped = content.ToArray();
        flipped[1_000] ^= 0x10;
        await Blobs.PutAsync(digest, flipped);
        var session = await Uploads.CreateAsync(Repository);

        Assert.Equal(UploadCommitStatus.Committed, await WriteBlobAsync(session.Id, digest, content, commit: true));

        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task BlobWriter_FlushedThenWrittenAgain_CommitsEveryByte_AndReleasesTheSessionsFolder()
    {
        // The caller flushes once the bytes are verified; a write after it is not covered by that flush.
        var content = TestContent.Bytes(5_000, seed: 27);
        var digest = TestContent.DigestOf(content);
        var writer = await OpenBlobWriterAsync(digest);
        await using (writer)
        {
            await writer.WriteAsync(new(content.AsMemory(0, 2_000)));
            await writer.FlushAsync();
            await writer.WriteAsync(new(content.AsMemory(2_000)));
            await writer.FlushAsync();

            Assert.Equal(UploadCommitStatus.Committed, await writer.CommitAsync());
        }

        await using (var blob = await Blobs.OpenAsync(digest))
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        }

        // The next session (a reused folder, on the file store) takes a writer at once: the commit left no lock held.
        var next = await Uploads.CreateAsync(Repository);
        var (status, nextWriter) = await Uploads.OpenBlobWriterAsync(next.Id, digest);
        await using (nextWriter)
        {
            Assert.Equal(UploadWriteStatus.Opened, status);
        }
    }

    [Fact]
    public async Task BlobWriter_OfUnknownSession_IsUnknown()
    {
        Assert.Equal(UploadWriteStatus.Unknown, (await Uploads.OpenBlobWriterAsync("../../../../etc", TestContent.DigestOf("x"))).Status);
    }

    private async Task<IBlobWriter> OpenBlobWriterAsync(Digest digest)
    {
        var session = await Uploads.CreateAsync(Repository);
        var (status, writer) = await Uploads.OpenBlobWriterAsync(session.Id, digest);
        Assert.Equal(UploadWriteStatus.Opened, status);
        return writer!;
    }

    // Writes the content in 64 KiB segments; commits, or disposes the writer without committing (then Unknown).
    private async Task<UploadCommitStatus> WriteBlobAsync(string id, Digest digest, ReadOnlyMemory<byte> content, bool commit)
    {
        var (status, writer) = await Uploads.OpenBlobWriterAsync(id, digest);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(TestContent.Segmented(content, segmentLength: 65_536));
            Assert.Equal(content.Length, writer.Length);
            return commit ? await writer.CommitAsync() : UploadCommitStatus.Unknown;
        }
    }
}
