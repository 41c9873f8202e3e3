using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests;

/// <summary>
/// What an object store's upload store does beyond the upload contract, the same on every object store: each case
/// gives its store and how a second writer takes a session over from a stale one; store-specific behaviour stays in
/// the case.
/// </summary>
public abstract class ObjectUploadStoreBehaviour
{
    protected const int MiB = 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStaleWriter_WhoseSessionWasTakenOver_NeverChangesTheBytes(bool staleClosesFirst)
    {
        var (uploads, _) = Create();
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, stale) = await uploads.OpenWriterAsync(session.Id, 0);
        await stale!.WriteAsync(new(TestContent.Bytes(17 * MiB, seed: 1))); // some of it sent, the rest buffered

        var (status, live) = await (await TakeOverAsync(uploads, session.Id)).OpenWriterAsync(session.Id, 0);
        Assert.Equal(UploadWriteStatus.Opened, status);
        var liveBytes = TestContent.Bytes(3 * MiB, seed: 2);
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

        Assert.Equal(liveBytes.Length, (await uploads.GetAsync(session.Id))!.Length);
        await using (var written = await uploads.OpenReadAsync(session.Id))
        {
            Assert.Equal(liveBytes, await TestContent.ReadAllAsync(written!));
        }

        await AssertNoStaleWriterLeftAsync(uploads);
    }

    [Fact]
    public async Task AWriterOpenedInsideWhatAnotherSent_KeepsExactlyThePrefix_AndTheCommitStoresIt()
    {
        var (uploads, blobs) = Create();
        var first = TestContent.Bytes(20 * MiB, seed: 3); // Azure: blocks of 8, 8 and 4 MiB; S3: one piece of parts 16 and 4 MiB
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(uploads, session.Id, 0, first);
        var cut = (12 * MiB) + 17;
        var next = TestContent.Bytes(MiB, seed: 4);

        await TestContent.PatchAsync(uploads, session.Id, cut, next);

        var expected = first[..cut].Concat(next).ToArray();
        await using (var written = await uploads.OpenReadAsync(session.Id))
        {
            Assert.Equal(expected, await TestContent.ReadAllAsync(written!));
        }

        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, expected.Length));
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(expected, await TestContent.ReadAllAsync(blob!));
    }

    /// <summary>An upload store on a new, empty container or bucket, with its blob store.</summary>
    private protected abstract (IUploadStore Uploads, IBlobStore Blobs) Create();

    /// <summary>The store a second writer opens <paramref name="id"/> from once the first writer's hold on it has run out.</summary>
    private protected abstract Task<IUploadStore> TakeOverAsync(IUploadStore uploads, string id);

    /// <summary>Fails unless nothing the stale writer sent is left in the store.</summary>
    private protected abstract Task AssertNoStaleWriterLeftAsync(IUploadStore uploads);
}
