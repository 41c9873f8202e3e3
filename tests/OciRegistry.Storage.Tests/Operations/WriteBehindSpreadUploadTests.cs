using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Storage.Tests.Operations;

/// <summary>
/// Three registry instances on one Azurite container and one set of session rows, with PATCHes acknowledged before
/// their bytes are staged: an upload whose chunks land on any instance commits exactly its bytes, and one whose
/// acknowledged bytes die with their instance fails rather than store other bytes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WriteBehindSpreadUploadTests(AzuriteServer azurite)
{
    private const string Repository = "team/app";
    private const int ChunkBytes = 1024 * 1024;

    // Each chunk's instance waits for the bytes the last one acknowledged, takes the session over and catches its
    // running hash up; several chunks in a row on one instance are merged into larger blocks.
    [Theory]
    [InlineData(new[] { 0, 1, 2, 0, 1, 2, 0, 1 }, 2)]
    [InlineData(new[] { 0, 0, 0, 1, 1, 1, 2, 2 }, 0)]
    [InlineData(new[] { 0, 0, 0, 0, 0, 0, 0, 0 }, 1)]
    public async Task ChunksSpreadOverThreeInstances_CommitExactlyTheBlob(int[] spread, int finisher)
    {
        var (instances, blobs) = StartInstances();
        var content = TestContent.Bytes(spread.Length * ChunkBytes, seed: spread.Sum());
        var digest = DigestHasher.Compute(content);
        var session = (await instances[spread[0]].StartAsync(Repository)).Value;

        for (var chunk = 0; chunk < spread.Length; chunk++)
        {
            var appended = await instances[spread[chunk]].AppendAsync(Repository, session.Id, (long)chunk * ChunkBytes, Chunk(content, chunk));
            Assert.Equal((chunk + 1L) * ChunkBytes, appended.Value.Length);
        }

        Assert.Equal(digest, (await instances[finisher].CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, finalChunk: null)).Value);
        await using var stored = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(stored!));
    }

    // The first instance acknowledges the second chunk and dies before staging it (its clock stands still, so it never
    // finds its session idle). The next chunk, on another instance, waits for those bytes in vain and is refused as an
    // unknown upload; so is the PUT, and nothing is stored under the digest: the client starts the blob again.
    [Fact]
    public async Task AnUploadWhoseAcknowledgedChunkDiedWithItsInstance_Fails_AndStoresNothing()
    {
        var (instances, blobs) = StartInstances(new FakeTimeProvider(DateTimeOffset.UtcNow)); // sessions start now, as the rows expect
        var content = TestContent.Bytes(3 * ChunkBytes, seed: 30);
        var digest = DigestHasher.Compute(content);
        var session = (await instances[0].StartAsync(Repository)).Value;
        Assert.True((await instances[0].AppendAsync(Repository, session.Id, 0, Chunk(content, 0))).IsSuccess);
        Assert.True((await instances[0].AppendAsync(Repository, session.Id, ChunkBytes, Chunk(content, 1))).IsSuccess);

        var next = await instances[1].AppendAsync(Repository, session.Id, 2 * ChunkBytes, Chunk(content, 2));
        var put = await instances[2].CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, finalChunk: null);

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, next.Error?.Code);
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, put.Error?.Code); // the upload is lost, not the client's bytes wrong
        Assert.Null(await blobs.GetSizeAsync(digest));
    }

    private static PipeReader Chunk(byte[] content, int chunk) => PipeReader.Create(new MemoryStream(content, chunk * ChunkBytes, ChunkBytes));

    // The first instance's store runs on firstClock (the system clock when omitted), the others on the system clock.
    private (UploadOperations[] Instances, AzureBlobStore Blobs) StartInstances(TimeProvider? firstClock = null)
    {
        var container = azurite.CreateContainer();
        var metadata = new InMemoryMetadataStore();
        var instances = Enumerable.Range(0, 3).Select(instance =>
        {
            var blobs = new AzureBlobStore(container);
            var clock = instance == 0 ? firstClock : null;
            var uploads = new AzureBlobUploadStore(blobs, clock, metadata, acknowledgePatchesBeforeStaging: true);
            return new UploadOperations(uploads, metadata, blobs, metadata, Options.Create(new RegistryOptions()));
        }).ToArray();
        return (instances, new AzureBlobStore(container));
    }
}
