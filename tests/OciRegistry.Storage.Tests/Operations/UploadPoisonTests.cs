using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Tests.FileSystem;

namespace OciRegistry.Storage.Tests.Operations;

/// <summary>
/// A second PATCH that has sent its headers but not its body while the upload is finished with the digest of what was
/// sent so far: whatever the order, the blob stored under that digest is exactly those bytes.
/// </summary>
public sealed class UploadPoisonTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    public static TheoryData<bool> Stores => [false, true];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task APatchWhoseBodyArrivesAfterTheFinalPut_NeverEndsUpUnderTheDigest(bool onDisk)
    {
        var (uploads, blobs) = CreateStores(onDisk);
        var metadata = new InMemoryMetadataStore();
        var operations = new UploadOperations(uploads, metadata, blobs, metadata, Options.Create(new RegistryOptions()));
        var x = TestContent.Bytes(10_000, seed: 1);
        var y = TestContent.Bytes(5_000, seed: 2);
        var digestOfX = DigestHasher.Compute(x);
        var session = (await operations.StartAsync("team/app")).Value;
        Assert.True((await operations.AppendAsync("team/app", session.Id, null, PipeReader.Create(new MemoryStream(x)))).IsSuccess);
        var secondBody = new Pipe();

        var secondPatch = operations.AppendAsync("team/app", session.Id, null, secondBody.Reader).AsTask(); // headers only so far
        var put = await operations.CompleteAsync("team/app", session.Id, digestOfX.ToString(), rangeStart: null, finalChunk: null);
        await secondBody.Writer.WriteAsync(y);
        await secondBody.Writer.CompleteAsync();
        await secondPatch;

        var stored = await blobs.OpenAsync(digestOfX);
        if (put.IsSuccess)
        {
            Assert.NotNull(stored);
        }

        if (stored is not null)
        {
            await using (stored)
            {
                Assert.Equal(x, await TestContent.ReadAllAsync(stored));
            }
        }
    }

    private (IUploadStore Uploads, IBlobStore Blobs) CreateStores(bool onDisk)
    {
        if (!onDisk)
        {
            var memory = new InMemoryBlobStore();
            return (new InMemoryUploadStore(memory), memory);
        }

        var files = new FileSystemBlobStore(_root.Options);
        return (new FileSystemUploadStore(files), files);
    }
}
