using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>
/// PATCHes acknowledged before their bytes are staged (<see cref="AzureBlobStorageOptions.AcknowledgePatchesBeforeStaging"/>),
/// against Azurite: how the bytes go to Azure, how another instance waits for them, and what an instance that dies or
/// whose blocks Azure refuses leaves: never other bytes under a digest, and an upload that fails.
/// </summary>
/// <remarks>
/// The instances' clocks are fakes that stand still unless a test moves them, so an instance's idle timer (which stages
/// what its PATCHes left short of a block) fires only when the test says so.
/// </remarks>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobWriteBehindTests(AzuriteServer azurite)
{
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(50);

    // The first PATCH is staged before its answer; the second renews the lease (nothing is being staged); the next six
    // send nothing at all; the ninth fills a block of 8 MiB; the last seven wait for the session to be idle.
    [Fact]
    public async Task ARunOfSmallPatches_IsAnsweredWithoutRequests_AndStagedInBlocksOfEightMiB()
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var time = new FakeTimeProvider();
        var uploads = Instance(container, time);
        var content = TestContent.Bytes(16 * MiB, seed: 20);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(uploads, session.Id, 0, content.AsMemory(0, MiB));
        var beforeSecond = requests.All;
        await TestContent.PatchAsync(uploads, session.Id, MiB, content.AsMemory(MiB, MiB));
        Assert.Equal(1, requests.All - beforeSecond);

        for (var offset = 2 * MiB; offset < 8 * MiB; offset += MiB)
        {
            var before = requests.All;
            await TestContent.PatchAsync(uploads, session.Id, offset, content.AsMemory(offset, MiB));
            Assert.Equal(0, requests.All - before);
        }

        for (var offset = 8 * MiB; offset < 16 * MiB; offset += MiB)
        {
            await TestContent.PatchAsync(uploads, session.Id, offset, content.AsMemory(offset, MiB));
        }

        var staging = container.GetBlockBlobClient("uploads/" + session.Id);
        time.Advance(Idle);
        await WaitUntilAsync(async () => (await staging.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count() == 3);
        Assert.Equal(
            new long[] { MiB, 8 * MiB, 7 * MiB },
            (await staging.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks
                .OrderBy(block => StagedBlocks.TryParseOffset(block.Name, out var offset) ? offset : -1) // listed as they landed
                .Select(block => block.SizeLong));
        Assert.Equal(content.Length, (await uploads.GetAsync(session.Id))!.Length);
        await CommitAndAssertStoredAsync(uploads, container, session.Id, content);
    }

    // A commit right after the last PATCH stages what is left itself: it does not wait for the session to be idle.
    [Fact]
    public async Task ACommitRightAfterTheLastPatch_StoresEveryAcknowledgedByte()
    {
        var container = azurite.CreateContainer();
        var uploads = Instance(container);
        var content = TestContent.Bytes((3 * MiB) + 77, seed: 21);
        var id = await AcknowledgeWithoutStagingAsync(uploads, content, 2 * MiB);
        await TestContent.PatchAsync(uploads, id, 2 * MiB, content.AsMemory(2 * MiB));

        await CommitAndAssertStoredAsync(uploads, container, id, content);
    }

    // While a PATCH's writer hands its bytes over, other writers, reads and commits of the session on this instance are
    // busy or wait, and touch none of the bytes acknowledged before it: the blob is exactly what was written, in order.
    [Fact]
    public async Task AnOpenWriteBehindWriter_KeepsOtherWritersAndCommitsOut_AndItsBytesIntact()
    {
        var container = azurite.CreateContainer();
        var uploads = Instance(container);
        var content = TestContent.Bytes(12 * MiB, seed: 26);
        var id = await AcknowledgeWithoutStagingAsync(uploads, content, 4 * MiB);
        var (_, open) = await uploads.OpenWriterAsync(id, 4 * MiB);
        await open!.WriteAsync(new(content.AsMemory(4 * MiB, 2 * MiB)));

        var others = await Task.WhenAll(Enumerable.Range(0, 8).Select(attempt => Task.Run(async () =>
        {
            var (status, writer) = await uploads.OpenWriterAsync(id, attempt % 2 == 0 ? 4 * MiB : 6 * MiB);
            Assert.Null(writer);
            return status;
        })));
        var commit = await uploads.CommitAsync(id, TestContent.DigestOf(content.AsMemory(0, 6 * MiB).ToArray()), 6 * MiB);
        await open.WriteAsync(new(content.AsMemory(6 * MiB)));
        await open.DisposeAsync();

        Assert.All(others, status => Assert.Equal(UploadWriteStatus.Busy, status));
        Assert.Equal(UploadCommitStatus.Busy, commit);
        await CommitAndAssertStoredAsync(uploads, container, id, content);
    }

    // A delete while the commit waits for the same blocks in flight: both end, and the digest never names other bytes.
    [Fact]
    public async Task ADeleteWhileTheCommitWaitsForTheSameBlocks_BothEnd()
    {
        for (var round = 0; round < 5; round++)
        {
            var container = azurite.CreateContainer();
            var uploads = Instance(container);
            var content = TestContent.Bytes(25 * MiB, seed: 40 + round);
            var id = await AcknowledgeWithoutStagingAsync(uploads, content, content.Length); // three blocks of 8 MiB in flight
            var digest = TestContent.DigestOf(content);

            var commit = uploads.CommitAsync(id, digest, content.Length).AsTask();
            var delete = uploads.DeleteAsync(id).AsTask();
            await Task.WhenAll(commit, delete).WaitAsync(TimeSpan.FromMinutes(1)); // a hang guard, not a timing assertion

            if (await commit == UploadCommitStatus.Committed)
            {
                await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
                Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
            }
        }
    }

    // Two drains of the same blocks at once (a delete, which takes no gate, beside a commit): each takes every slot of the
    // blocks in flight at once or waits, never some of them each, so both end, with every block.
    [Fact]
    public async Task TwoDrainsOfTheSameBlocksAtOnce_BothEndWithEveryBlock()
    {
        var container = azurite.CreateContainer();
        for (var round = 0; round < 5; round++)
        {
            var blob = container.GetBlockBlobClient("uploads/" + Guid.NewGuid().ToString("N"));
            await blob.UploadAsync(Stream.Null);
            var lease = blob.GetBlobLeaseClient();
            await lease.AcquireAsync(TimeSpan.FromSeconds(60));
            var blocks = new WriteBehindBlocks(blob, lease, 0, new FakeTimeProvider());
            blocks.BeginPatch();
            await blocks.WriteAsync(new(TestContent.Bytes(43 * MiB, seed: 50 + round)), CancellationToken.None); // five blocks in flight, 3 MiB left
            blocks.EndPatch();

            var drains = await Task.WhenAll(blocks.DrainAsync(), blocks.DrainAsync()).WaitAsync(TimeSpan.FromMinutes(1)); // a hang guard

            Assert.All(drains, drained => Assert.Equal(new long[] { 8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 3 * MiB }, drained!.Select(block => block.Size)));
        }
    }

    // The next PATCH lands on another instance while the first still holds bytes it acknowledged: the second waits
    // until they are staged (here: until the first's clock says its session is idle), then takes the session over.
    [Fact]
    public async Task AnotherInstance_WaitsForTheBytesAcknowledgedHere_ThenGoesOnWithTheUpload()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var firstTime = new FakeTimeProvider();
        var first = Instance(container, firstTime, rows);
        var content = TestContent.Bytes(3 * MiB, seed: 22);
        var id = await AcknowledgeWithoutStagingAsync(first, content, 2 * MiB, rows);

        var opening = Instance(container, rows: rows).OpenWriterAsync(id, 2 * MiB).AsTask();
        Assert.False(opening.IsCompleted);
        firstTime.Advance(Idle);
        var (status, writer) = await opening;

        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(new(content.AsMemory(2 * MiB)));
        }

        await CommitAndAssertStoredAsync(first, container, id, content);
    }

    // Another instance takes the session over once this one has staged all it acknowledged, and writes nothing. This
    // instance's next PATCH finds its lease gone before it acknowledges anything under it (the renewal a writer makes
    // when nothing is left to stage), takes the session back, and the blob is exactly what was written.
    [Fact]
    public async Task APatchAfterAnotherInstanceTookTheSessionAndWroteNothing_TakesItBack_AndLosesNothing()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var firstTime = new FakeTimeProvider();
        var first = Instance(container, firstTime, rows);
        var content = TestContent.Bytes(4 * MiB, seed: 27);
        var id = await AcknowledgeWithoutStagingAsync(first, content, 2 * MiB, rows);
        firstTime.Advance(Idle);

        var (status, idle) = await Instance(container, rows: rows).OpenWriterAsync(id, 2 * MiB);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await idle!.DisposeAsync();
        await TestContent.PatchAsync(first, id, 2 * MiB, content.AsMemory(2 * MiB, MiB));
        await TestContent.PatchAsync(first, id, 3 * MiB, content.AsMemory(3 * MiB));

        await CommitAndAssertStoredAsync(first, container, id, content);
    }

    // An instance that stops (a rolling update) stages what it acknowledged when its host disposes the store, so the
    // upload goes on from another instance: had the bytes been lost, the other would find fewer and refuse the offset.
    [Fact]
    public async Task AStoppingInstance_StagesWhatItAcknowledged_AndTheUploadGoesOnElsewhere()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var stopping = Instance(container, rows: rows);
        var content = TestContent.Bytes(3 * MiB, seed: 25);
        var id = await AcknowledgeWithoutStagingAsync(stopping, content, 2 * MiB, rows);

        await stopping.DisposeAsync();

        var other = Instance(container, rows: rows);
        await TestContent.PatchAsync(other, id, 2 * MiB, content.AsMemory(2 * MiB));
        await CommitAndAssertStoredAsync(other, container, id, content);
    }

    // The instance that acknowledged a PATCH dies before staging it. Another instance waits for those bytes in vain
    // (ten seconds), then takes the session: it holds less than the session's row says, so the next PATCH and the commit
    // are refused and nothing is stored under the digest. The client starts the blob again.
    [Fact]
    public async Task BytesAcknowledgedByAnInstanceThatDied_AreNeverCommitted()
    {
        var container = azurite.CreateContainer();
        var rows = new InMemoryMetadataStore();
        var content = TestContent.Bytes(2 * MiB, seed: 23);
        var id = await AcknowledgeWithoutStagingAsync(Instance(container, rows: rows), content, 2 * MiB, rows);
        var survivor = Instance(container, rows: rows);

        var (status, writer) = await survivor.OpenWriterAsync(id, 2 * MiB);

        Assert.Equal(UploadWriteStatus.OffsetMismatch, status);
        Assert.Null(writer);
        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.LengthMismatch, await survivor.CommitAsync(id, digest, content.Length));
        Assert.Null(await new AzureBlobStore(container).GetSizeAsync(digest));
    }

    // Azure refuses a block of bytes already acknowledged: the instance that acknowledged them refuses the upload's
    // next PATCH and its commit, and stores nothing under the digest.
    [Fact]
    public async Task ABlockAzureRefuses_FailsTheUpload_AndNothingIsStored()
    {
        var refusal = new RefuseBlocks();
        var options = new BlobClientOptions();
        options.AddPolicy(refusal, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var time = new FakeTimeProvider();
        var uploads = Instance(container, time);
        var content = TestContent.Bytes(3 * MiB, seed: 24);
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        await TestContent.PatchAsync(uploads, session.Id, 0, content.AsMemory(0, MiB));
        refusal.Refusing = true;
        await TestContent.PatchAsync(uploads, session.Id, MiB, content.AsMemory(MiB, MiB)); // acknowledged; its block will be refused
        time.Advance(Idle);

        Assert.Equal(MiB, (await uploads.GetAsync(session.Id))!.Length); // once the refused block is known
        var (status, writer) = await uploads.OpenWriterAsync(session.Id, 2 * MiB);

        Assert.Equal(UploadWriteStatus.OffsetMismatch, status);
        Assert.Null(writer);
        var digest = TestContent.DigestOf(content.AsMemory(0, 2 * MiB).ToArray());
        Assert.Equal(UploadCommitStatus.LengthMismatch, await uploads.CommitAsync(session.Id, digest, 2 * MiB));
        Assert.Null(await new AzureBlobStore(container).GetSizeAsync(digest));
    }

    // An instance on the container with PATCHes acknowledged before staging, on a clock that stands still unless given.
    private static AzureBlobUploadStore Instance(BlobContainerClient container, TimeProvider? time = null, InMemoryMetadataStore? rows = null) =>
        new(new AzureBlobStore(container), time ?? new FakeTimeProvider(), rows, acknowledgePatchesBeforeStaging: true);

    // Starts a session on uploads (and its row in rows, if given) and writes content's first `acknowledged` bytes: the
    // first MiB as its first PATCH, staged before its answer; the rest as a second PATCH, acknowledged and not staged
    // while the instance's clock stands still. Returns the session id.
    private static async Task<string> AcknowledgeWithoutStagingAsync(AzureBlobUploadStore uploads, byte[] content, int acknowledged, InMemoryMetadataStore? rows = null)
    {
        var session = await uploads.CreateAsync(RepositoryName.Parse("team/app"));
        if (rows is not null)
        {
            await rows.CreateUploadSessionAsync(session);
        }

        await TestContent.PatchAsync(uploads, session.Id, 0, content.AsMemory(0, MiB));
        await TestContent.PatchAsync(uploads, session.Id, MiB, content.AsMemory(MiB, acknowledged - MiB));
        return session.Id;
    }

    private static async Task CommitAndAssertStoredAsync(AzureBlobUploadStore uploads, BlobContainerClient container, string id, byte[] content)
    {
        var digest = TestContent.DigestOf(content);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(id, digest, content.Length));
        await using var blob = await new AzureBlobStore(container).OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    // Polls Azure until the condition holds, for at most a minute: a block staged in the background lands when it lands.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; !await condition(); attempt++)
        {
            Assert.True(attempt < 600, "the condition did not hold within a minute");
            await Task.Delay(100);
        }
    }

    // Fails every Put Block while armed, as Azure would refuse one (here before it is sent, so it is not retried).
    private sealed class RefuseBlocks : HttpPipelineSynchronousPolicy
    {
        public volatile bool Refusing;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (Refusing && message.Request.Uri.Query.Contains("comp=block&", StringComparison.Ordinal))
            {
                throw new RequestFailedException(500, "refused by the test");
            }
        }
    }
}
