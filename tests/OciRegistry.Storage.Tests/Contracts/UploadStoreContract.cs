using OciRegistry.Core.References;
using FsCheck;
using FsCheck.Xunit;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>What every <see cref="IUploadStore"/> must do, with the <see cref="IBlobStore"/> it commits into.</summary>
public abstract partial class UploadStoreContract
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("library/alpine");

    private static readonly int[] UnevenChunkLengths = [1, 4096, 3, 10_000, 50_000, 7, 65_536];

    private readonly Lazy<(IUploadStore Uploads, IBlobStore Blobs)> _stores;
    private readonly Lazy<Task<(Digest Digest, byte[] Content)>> _unevenlyChunkedBlob;

    protected UploadStoreContract()
    {
        _stores = new Lazy<(IUploadStore, IBlobStore)>(CreateStores);
        _unevenlyChunkedBlob = new Lazy<Task<(Digest, byte[])>>(CommitUnevenlyChunkedBlobAsync);
    }

    private IUploadStore Uploads => _stores.Value.Uploads;

    private IBlobStore Blobs => _stores.Value.Blobs;

    /// <summary>A new, empty upload store and the blob store it commits into.</summary>
    protected abstract (IUploadStore Uploads, IBlobStore Blobs) CreateStores();

    [Fact]
    public async Task Create_StartsEmptySession_WithUrlSafeId()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);

        var created = await Uploads.CreateAsync(Repository);

        var session = await Uploads.GetAsync(created.Id);
        Assert.NotNull(session);
        Assert.Equal(Repository, session.Repository);
        Assert.Equal(0, session.Length);
        Assert.InRange(session.StartedAt, before, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Matches("^[A-Za-z0-9_-]+$", created.Id);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../../../etc")]
    public async Task UnknownSession_IsNullOrUnknown_Everywhere(string id)
    {
        Assert.Null(await Uploads.GetAsync(id));
        Assert.Equal(UploadWriteStatus.Unknown, (await Uploads.OpenWriterAsync(id, 0)).Status);
        Assert.Null(await Uploads.OpenReadAsync(id));
        Assert.Equal(UploadCommitStatus.Unknown, await Uploads.CommitAsync(id, TestContent.DigestOf("x"), 1));
        Assert.False(await Uploads.DeleteAsync(id));
    }

    [Fact]
    public async Task Writes_InChunks_AppendInOrder()
    {
        var content = TestContent.Bytes(300_000, seed: 1);
        var session = await Uploads.CreateAsync(Repository);

        await WriteAsync(session.Id, 0, content.AsMemory(0, 100_000));
        await WriteAsync(session.Id, 100_000, content.AsMemory(100_000, 200_000));

        Assert.Equal(content.Length, (await Uploads.GetAsync(session.Id))!.Length);
        await using var written = await Uploads.OpenReadAsync(session.Id);
        Assert.Equal(content, await TestContent.ReadAllAsync(written!));
    }

    [Fact]
    public async Task Writer_ReportsLength_IncludingItsWrites()
    {
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, new byte[10]);

        var (_, writer) = await Uploads.OpenWriterAsync(session.Id, 10);
        await using (writer)
        {
            await writer!.WriteAsync(TestContent.Segmented(new byte[25], segmentLength: 10));
            Assert.Equal(35, writer.Length);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(1_000)]
    public async Task OpenWriter_BeyondTheLength_IsOffsetMismatch(long offset)
    {
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, new byte[10]);

        var (status, writer) = await Uploads.OpenWriterAsync(session.Id, offset);

        Assert.Equal(UploadWriteStatus.OffsetMismatch, status);
        Assert.Null(writer);
        Assert.Equal(UploadWriteStatus.Opened, await OpenAndDisposeAsync(session.Id, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(4_096)]
    public async Task OpenWriter_BelowTheLength_DiscardsTheBytesBeyond_AndAppendsThere(int offset)
    {
        // The bytes past `offset` are a writer's whose append the session rows did not record.
        var recorded = TestContent.Bytes(offset, seed: 10);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, recorded.Concat(TestContent.Bytes(5_000, seed: 11)).ToArray());
        var next = TestContent.Bytes(300, seed: 12);

        await WriteAsync(session.Id, offset, next);

        Assert.Equal(offset + next.Length, (await Uploads.GetAsync(session.Id))!.Length);
        await using var written = await Uploads.OpenReadAsync(session.Id);
        Assert.Equal(recorded.Concat(next), await TestContent.ReadAllAsync(written!));
    }

    [Fact]
    public async Task SecondWriter_WhileFirstIsOpen_IsBusy_UntilFirstIsDisposed()
    {
        var session = await Uploads.CreateAsync(Repository);
        var (_, first) = await Uploads.OpenWriterAsync(session.Id, 0);

        Assert.Equal(UploadWriteStatus.Busy, await OpenAndDisposeAsync(session.Id, 0));

        await first!.DisposeAsync();
        Assert.Equal(UploadWriteStatus.Opened, await OpenAndDisposeAsync(session.Id, 0));
    }

    [Fact]
    public async Task ConcurrentOpenWriters_OpenExactlyOne()
    {
        var session = await Uploads.CreateAsync(Repository);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await Uploads.OpenWriterAsync(session.Id, 0))));

        Assert.Single(attempts, attempt => attempt.Status == UploadWriteStatus.Opened);
        Assert.All(attempts.Where(attempt => attempt.Status != UploadWriteStatus.Opened), attempt => Assert.Equal(UploadWriteStatus.Busy, attempt.Status));
        foreach (var (_, writer) in attempts)
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Commit_MovesBytesIntoBlobStore_AndEndsSession()
    {
        var content = TestContent.Bytes(200_000, seed: 2);
        var digest = TestContent.DigestOf(content);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, content.AsMemory(0, 70_000));
        await WriteAsync(session.Id, 70_000, content.AsMemory(70_000));

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, content.Length));

        Assert.Null(await Uploads.GetAsync(session.Id));
        Assert.Equal(UploadCommitStatus.Unknown, await Uploads.CommitAsync(session.Id, digest, content.Length));
        Assert.Equal(content.Length, await Blobs.GetSizeAsync(digest));
        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Equal(content[69_990..70_010], await TestContent.ReadAsync(blob!, 69_990, 20));
        Assert.Empty(await Uploads.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Commit_OfEmptySession_StoresEmptyBlob()
    {
        var digest = TestContent.DigestOf([]);
        var session = await Uploads.CreateAsync(Repository);

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, 0));

        Assert.Equal(0, await Blobs.GetSizeAsync(digest));
    }

    [Fact]
    public async Task Commit_WhenBlobExists_LeavesOneCopy_AndEndsSession()
    {
        var content = TestContent.Bytes(1_000, seed: 3);
        var digest = TestContent.DigestOf(content);
        await Blobs.PutAsync(digest, content);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, content);

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, content.Length));

        Assert.Null(await Uploads.GetAsync(session.Id));
        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Single(await Blobs.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Commit_WhileWriterIsOpen_IsBusy_AndChangesNothing()
    {
        var session = await Uploads.CreateAsync(Repository);
        var (_, writer) = await Uploads.OpenWriterAsync(session.Id, 0);
        await using (writer)
        {
            Assert.Equal(UploadCommitStatus.Busy, await Uploads.CommitAsync(session.Id, TestContent.DigestOf([]), 0));
        }

        Assert.NotNull(await Uploads.GetAsync(session.Id));
    }

    [Fact]
    public async Task Delete_EndsSession_AndDiscardsBytes()
    {
        var content = TestContent.Bytes(1_000, seed: 4);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, content);

        Assert.True(await Uploads.DeleteAsync(session.Id));

        Assert.Null(await Uploads.GetAsync(session.Id));
        Assert.False(await Uploads.DeleteAsync(session.Id));
        Assert.Equal(UploadWriteStatus.Unknown, (await Uploads.OpenWriterAsync(session.Id, 1_000)).Status);
        Assert.Null(await Blobs.GetSizeAsync(TestContent.DigestOf(content)));
    }

    [Fact]
    public async Task List_ReturnsEveryOpenSession_WithItsLength()
    {
        var first = await Uploads.CreateAsync(Repository);
        var second = await Uploads.CreateAsync(RepositoryName.Parse("other/repo"));
        await WriteAsync(second.Id, 0, new byte[42]);
        var deleted = await Uploads.CreateAsync(Repository);
        await Uploads.DeleteAsync(deleted.Id);

        var sessions = await Uploads.ListAsync().ToListAsync();

        Assert.Equal(
            new[] { (first.Id, Repository, 0L), (second.Id, RepositoryName.Parse("other/repo"), 42L) }.OrderBy(s => s.Item1, StringComparer.Ordinal),
            sessions.Select(s => (s.Id, s.Repository, s.Length)).OrderBy(s => s.Item1, StringComparer.Ordinal));
    }

    [Property(MaxTest = 100)]
    public async Task<bool> AnyRangeOfBlobCommittedInUnevenChunks_EqualsTheSlice(NonNegativeInt start, NonNegativeInt count)
    {
        var (digest, content) = await _unevenlyChunkedBlob.Value;
        var offset = start.Get % (content.Length + 1);
        var length = count.Get % (content.Length - offset + 1);

        await using var blob = await Blobs.OpenAsync(digest);

        return (await TestContent.ReadAsync(blob!, offset, length)).AsSpan().SequenceEqual(content.AsSpan(offset, length));
    }

    private async Task<(Digest Digest, byte[] Content)> CommitUnevenlyChunkedBlobAsync()
    {
        var content = TestContent.Bytes(UnevenChunkLengths.Sum(), seed: 5);
        var session = await Uploads.CreateAsync(Repository);
        var offset = 0;
        foreach (var length in UnevenChunkLengths)
        {
            await WriteAsync(session.Id, offset, content.AsMemory(offset, length));
            offset += length;
        }

        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, content.Length));
        return (digest, content);
    }

    [Fact]
    public async Task Commit_AfterAnotherWriterAppended_IsALengthMismatch_AndStoresNothing()
    {
        var hashed = TestContent.Bytes(3_000, seed: 7);
        var digest = TestContent.DigestOf(hashed);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, hashed);
        await WriteAsync(session.Id, hashed.Length, TestContent.Bytes(500, seed: 8)); // a stale writer's append

        Assert.Equal(UploadCommitStatus.LengthMismatch, await Uploads.CommitAsync(session.Id, digest, hashed.Length));

        Assert.Null(await Blobs.GetSizeAsync(digest));
        Assert.Equal(hashed.Length + 500, (await Uploads.GetAsync(session.Id))!.Length);
    }

    [Fact]
    public async Task Commit_OverAStoredCopyOfAnotherLength_ReplacesIt()
    {
        var content = TestContent.Bytes(2_000, seed: 9);
        var digest = TestContent.DigestOf(content);
        await Blobs.PutAsync(digest, content.AsMemory(0, 1_500)); // a corrupt copy: not the content of its digest
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, content);

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, content.Length));

        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task Commit_OverAStoredCopyOfTheSameLengthWithOtherBytes_RepairsIt()
    {
        var content = TestContent.Bytes(2_000, seed: 13);
        var digest = TestContent.DigestOf(content);
        var flipped = content.ToArray();
        flipped[1_234] ^= 0x10; // a bit gone bad on disk: same length, not the content of its digest
        await Blobs.PutAsync(digest, flipped);
        var session = await Uploads.CreateAsync(Repository);
        await WriteAsync(session.Id, 0, content);

        Assert.Equal(UploadCommitStatus.Committed, await Uploads.CommitAsync(session.Id, digest, content.Length));

        await using var blob = await Blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    private async Task WriteAsync(string id, long offset, ReadOnlyMemory<byte> content)
    {
        var (status, writer) = await Uploads.OpenWriterAsync(id, offset);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(TestContent.Segmented(content, segmentLength: 4096));
        }
    }

    private async Task<UploadWriteStatus> OpenAndDisposeAsync(string id, long offset)
    {
        var (status, writer) = await Uploads.OpenWriterAsync(id, offset);
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        return status;
    }
}
