using OciRegistry.Core.References;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>What the Azure upload store does beyond the upload contract, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobUploadStoreBehaviourTests(AzuriteServer azurite)
{
    private const int MiB = 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStaleWriter_WhoseLeaseWasTakenOver_NeverChangesTheBytes(bool staleClosesFirst)
    {
        var (uploads, container) = Create();
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, stale) = await uploads.OpenWriterAsync(session.Id, 0);
        await stale!.WriteAsync(new(TestContent.Bytes(9 * MiB, seed: 1))); // one block staged, the rest buffered

        // Its lease runs out (here: broken), and another writer takes the session over at the recorded length.
        await container.GetBlockBlobClient("uploads/" + session.Id).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var (status, live) = await uploads.OpenWriterAsync(session.Id, 0);
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
        await using var written = await uploads.OpenReadAsync(session.Id);
        Assert.Equal(liveBytes, await TestContent.ReadAllAsync(written!));
    }

    [Fact]
    public async Task AWriterOpenedInsideAStagedBlock_KeepsExactlyThePrefix_AndAppendsAfterIt()
    {
        var (uploads, _) = Create();
        var first = TestContent.Bytes(20 * MiB, seed: 3); // blocks of 8, 8 and 4 MiB
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await WriteAsync(uploads, session.Id, 0, first);
        var cut = 12 * MiB + 17;
        var next = TestContent.Bytes(MiB, seed: 4);

        await WriteAsync(uploads, session.Id, cut, next);

        var expected = first[..cut].Concat(next).ToArray();
        await using var written = await uploads.OpenReadAsync(session.Id);
        Assert.Equal(expected, await TestContent.ReadAllAsync(written!));
        var digest = TestContent.DigestOf(expected);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, expected.Length));
    }

    [Fact]
    public async Task Delete_WhileAWriterIsOpen_EndsTheSession_AndTheWriterChangesNothing()
    {
        var (uploads, _) = Create();
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        await writer!.WriteAsync(new(TestContent.Bytes(MiB, seed: 5)));

        Assert.True(await uploads.DeleteAsync(session.Id));
        await writer.DisposeAsync();

        Assert.Null(await uploads.GetAsync(session.Id));
        Assert.Empty(await uploads.ListAsync().ToListAsync());
    }

    private (AzureBlobUploadStore Uploads, Azure.Storage.Blobs.BlobContainerClient Container) Create()
    {
        var container = azurite.CreateContainer();
        return (new AzureBlobUploadStore(new AzureBlobStore(container)), container);
    }

    private static async Task WriteAsync(IUploadStore uploads, string id, long offset, byte[] content)
    {
        var (status, writer) = await uploads.OpenWriterAsync(id, offset);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(TestContent.Segmented(content, segmentLength: 256 * 1024));
        }
    }
}
