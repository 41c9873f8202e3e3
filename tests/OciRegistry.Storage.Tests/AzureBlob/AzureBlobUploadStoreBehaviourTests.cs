using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using OciRegistry.Core.InMemory;
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

    // A PATCH of 1 MiB is one request; a larger one goes as blocks of 2 MiB this early in the upload, one request each.
    [Fact]
    public async Task ARunOfPatchesOnOneInstance_StagesEachAsItsBlocks_AndNothingElse()
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var uploads = new AzureBlobUploadStore(new AzureBlobStore(container), new FakeTimeProvider());
        var created = requests.All;
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        Assert.Equal(0, requests.All - created); // nothing stored until the first writer
        var content = TestContent.Bytes(8 * MiB, seed: 6);
        await TestContent.PatchAsync(uploads, session.Id, 0, content.AsMemory(0, MiB));
        Assert.Equal(3, requests.All - created); // the staging blob, its lease (first on a blob just created: no block list to read), the block

        for (var offset = MiB; offset < 4 * MiB; offset += MiB)
        {
            var before = requests.All;
            await TestContent.PatchAsync(uploads, session.Id, offset, content.AsMemory(offset, MiB));
            Assert.Equal(1, requests.All - before);
        }

        var last = requests.All;
        await TestContent.PatchAsync(uploads, session.Id, 4 * MiB, content.AsMemory(4 * MiB));
        Assert.Equal(2, requests.All - last);

        var staged = await container.GetBlockBlobClient("uploads/" + session.Id).GetBlockListAsync(BlockListTypes.Uncommitted);
        Assert.Equal(new long[] { MiB, MiB, MiB, MiB, 2 * MiB, 2 * MiB }, staged.Value.UncommittedBlocks.Select(block => block.SizeLong));
        await using var written = await uploads.OpenReadAsync(session.Id);
        Assert.Equal(content, await TestContent.ReadAllAsync(written!));
    }

    // A layer or a config pushed on one instance: the commit puts the bytes at the blob's name and deletes the staging
    // blob, instead of committing a block list, copying and deleting. When another instance broke the lease meanwhile,
    // the commit takes the session again and commits what the block list records.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASmallSessionWrittenOnOneInstance_IsCommittedWithItsKeptBytes_UnlessTheLeaseWasLost(bool leaseLost)
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var uploads = new AzureBlobUploadStore(new AzureBlobStore(container), new FakeTimeProvider());
        var content = TestContent.Bytes(20_000, seed: 8);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(uploads, session.Id, 0, content);
        if (leaseLost)
        {
            await new AzureBlobUploadStore(new AzureBlobStore(container)).OpenReadAsync(session.Id);
        }

        var before = requests.All;
        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, content.Length));

        if (!leaseLost)
        {
            Assert.Equal(2, requests.All - before);
        }

        await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Null(await uploads.GetAsync(session.Id));
    }

    // A layer or a config whose digest came with its bytes, in a session this instance started: one Put Blob at the
    // blob's name, from the POST to the commit. No staging blob, so nothing to delete; never a block list nor a copy.
    [Fact]
    public async Task ASmallBlobWithItsDigestUpFront_IsOnePutAtItsName()
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var time = new FakeTimeProvider();
        var blobs = new AzureBlobStore(container, time);
        var uploads = new AzureBlobUploadStore(blobs, time);
        var content = TestContent.Bytes(20_000, seed: 9);
        var digest = TestContent.DigestOf(content);
        var before = requests.All;
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        var (_, writer) = await uploads.OpenBlobWriterAsync(session.Id, digest);
        await using (writer)
        {
            await writer!.WriteAsync(new(content));
            Assert.Equal(UploadCommitStatus.Committed, await writer.CommitAsync());
        }

        Assert.Equal(1, requests.All - before);
        Assert.Equal(content.Length, await blobs.GetSizeAsync(digest)); // the manifest put's check: this instance just wrote it
        Assert.Equal(1, requests.All - before);
        await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.False(await container.GetBlobClient("uploads/" + session.Id).ExistsAsync());
    }

    // A session started on one instance and written first on another: the second learns the session's repository and
    // start from its row to create the staging blob; the first then finds the bytes there.
    [Fact]
    public async Task ASessionStartedOnOneInstance_IsWrittenFirstOnAnother_WithItsRowsMetadata()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var first = new AzureBlobUploadStore(new AzureBlobStore(container), sessions: rows);
        var second = new AzureBlobUploadStore(new AzureBlobStore(container), sessions: rows);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await rows.CreateUploadSessionAsync(session);
        Assert.False(await container.GetBlobClient("uploads/" + session.Id).ExistsAsync());
        var content = TestContent.Bytes((2 * MiB) + 5, seed: 10);

        await TestContent.PatchAsync(second, session.Id, 0, content);

        Assert.Equal(session with { Length = content.Length }, await first.GetAsync(session.Id));
        await using (var prefix = await first.OpenReadAsync(session.Id)) // the re-hash of the instance that takes the PUT
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(prefix!));
        }

        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await first.CommitAsync(session.Id, digest, content.Length));
        await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    // A session started on one instance, written on another and cancelled on the first: its staging blob goes.
    [Fact]
    public async Task ASessionStartedOnOneInstance_WrittenOnAnother_IsDeletedByTheFirst()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var first = new AzureBlobUploadStore(new AzureBlobStore(container), sessions: rows);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await rows.CreateUploadSessionAsync(session);
        await TestContent.PatchAsync(new AzureBlobUploadStore(new AzureBlobStore(container), sessions: rows), session.Id, 0, TestContent.Bytes(1_000, seed: 11));

        Assert.True(await first.DeleteAsync(session.Id));

        Assert.Empty(await container.GetBlobsAsync().ToListAsync());
        Assert.False(await first.DeleteAsync(session.Id));
    }

    // Without the rows, an instance cannot create the staging blob of a session it did not start: unknown to it.
    [Fact]
    public async Task ASessionStartedOnAnotherInstance_IsUnknown_WithoutTheRows()
    {
        var container = azurite.CreateContainer();
        var session = await new AzureBlobUploadStore(new AzureBlobStore(container)).CreateAsync(RepositoryName.Parse("team/app"));

        var (status, writer) = await new AzureBlobUploadStore(new AzureBlobStore(container)).OpenWriterAsync(session.Id, 0);

        Assert.Equal(UploadWriteStatus.Unknown, status);
        Assert.Null(writer);
        Assert.Empty(await container.GetBlobsAsync().ToListAsync());
    }

    // An empty blob committed on an instance that did not start the session, which nobody wrote to: there is no
    // staging blob, and the commit of length 0 stores the empty blob.
    [Fact]
    public async Task AnEmptySessionStartedElsewhere_CommitsTheEmptyBlob()
    {
        var container = azurite.CreateContainer();
        var session = await new AzureBlobUploadStore(new AzureBlobStore(container)).CreateAsync(RepositoryName.Parse("team/app"));
        var digest = TestContent.DigestOf([]);

        Assert.Equal(UploadCommitStatus.Committed, await new AzureBlobUploadStore(new AzureBlobStore(container)).CommitAsync(session.Id, digest, 0));

        Assert.Equal(0, await new AzureBlobStore(container).GetSizeAsync(digest));
    }

    // Two instances on one container, with clocks that stand still: each trusts the lease it kept, so a lease the other
    // broke is found out by the next request made under it.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PatchesOnlyStagedByOneInstance_AreReadAndCommittedByAnother(bool interleaved)
    {
        var container = azurite.CreateContainer();
        var first = new AzureBlobUploadStore(new AzureBlobStore(container), new FakeTimeProvider());
        var second = new AzureBlobUploadStore(new AzureBlobStore(container), new FakeTimeProvider());
        var content = TestContent.Bytes((5 * MiB) + 3, seed: 7);
        var session = await first.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(first, session.Id, 0, content.AsMemory(0, 2 * MiB));
        await TestContent.PatchAsync(first, session.Id, 2 * MiB, content.AsMemory(2 * MiB, MiB));
        var staging = container.GetBlockBlobClient("uploads/" + session.Id);
        Assert.Equal(0, (await staging.GetPropertiesAsync()).Value.ContentLength); // staged, no block list committed
        Assert.Equal(3 * MiB, (await second.GetAsync(session.Id))!.Length);

        var digest = TestContent.DigestOf(content);
        if (interleaved)
        {
            // The second re-hashes the prefix, the first appends on the lease the second broke, the second appends on
            // the lease the first broke, and the first completes.
            await using (var prefix = await second.OpenReadAsync(session.Id))
            {
                Assert.Equal(content.AsSpan(0, 3 * MiB).ToArray(), await TestContent.ReadAllAsync(prefix!));
            }

            await TestContent.PatchAsync(first, session.Id, 3 * MiB, content.AsMemory(3 * MiB, MiB));
            await TestContent.PatchAsync(second, session.Id, 4 * MiB, content.AsMemory(4 * MiB));
            Assert.Equal(UploadCommitStatus.Committed, await first.CommitAsync(session.Id, digest, content.Length));
        }
        else
        {
            await TestContent.PatchAsync(first, session.Id, 3 * MiB, content.AsMemory(3 * MiB));
            Assert.Equal(UploadCommitStatus.Committed, await second.CommitAsync(session.Id, digest, content.Length));
        }

        await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        Assert.Null(await first.GetAsync(session.Id));
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
