using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Tests.Operations;

public sealed class UploadCommitRaceTests
{
    [Fact]
    public async Task Finishing_WhileAnotherRequestWrites_IsBlobUploadInvalid_AndKeepsTheSession()
    {
        var blobs = new InMemoryBlobStore();
        var uploads = new InMemoryUploadStore(blobs);
        var operations = new UploadOperations(uploads, blobs, new InMemoryMetadataStore(), Options.Create(new RegistryOptions()));
        var session = (await operations.StartAsync("team/app")).Value;
        var (_, otherRequestsWriter) = await uploads.OpenWriterAsync(session.Id, 0);
        var empty = DigestHasher.Compute([]);

        await using (otherRequestsWriter)
        {
            var finished = await operations.CompleteAsync("team/app", session.Id, empty.ToString(), rangeStart: null, finalChunk: null);

            Assert.Equal(RegistryErrorCode.BlobUploadInvalid, finished.Error?.Code);
        }

        Assert.NotNull(await uploads.GetAsync(session.Id));
        Assert.Null(await blobs.GetSizeAsync(empty));
    }
}
