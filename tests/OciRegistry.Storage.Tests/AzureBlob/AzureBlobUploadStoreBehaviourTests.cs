using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>What the Azure upload store does beyond the upload contract, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobUploadStoreBehaviourTests(AzuriteServer azurite) : ObjectUploadStoreBehaviour
{
    private readonly Dictionary<IUploadStore, BlobContainerClient> _containers = [];

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

    private protected override (IUploadStore Uploads, IBlobStore Blobs) Create()
    {
        var container = azurite.CreateContainer();
        var blobs = new AzureBlobStore(container);
        var uploads = new AzureBlobUploadStore(blobs);
        _containers[uploads] = container;
        return (uploads, blobs);
    }

    // The first writer's lease runs out (here: is broken); the same store then leases the session to the next writer.
    private protected override async Task<IUploadStore> TakeOverAsync(IUploadStore uploads, string id)
    {
        await _containers[uploads].GetBlockBlobClient("uploads/" + id).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        return uploads;
    }

    // The stale writer's blocks were refused or dropped by the live writer's block list: none is left uncommitted.
    private protected override async Task AssertNoStaleWriterLeftAsync(IUploadStore uploads)
    {
        var staging = await _containers[uploads].GetBlobsAsync(new GetBlobsOptions { Prefix = "uploads/" }).SingleAsync();
        var blocks = await _containers[uploads].GetBlockBlobClient(staging.Name).GetBlockListAsync(BlockListTypes.Uncommitted);
        Assert.Empty(blocks.Value.UncommittedBlocks);
    }
}
