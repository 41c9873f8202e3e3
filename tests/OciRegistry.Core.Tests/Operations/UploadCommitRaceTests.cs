using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Operations;

public sealed class UploadCommitRaceTests
{
    [Fact]
    public async Task Finishing_WhileAnotherRequestHoldsTheSession_IsBlobUploadInvalid_AndKeepsTheSession()
    {
        var blobs = new InMemoryBlobStore();
        var uploads = new InMemoryUploadStore(blobs);
        var metadata = new InMemoryMetadataStore();
        var operations = new UploadOperations(uploads, metadata, blobs, metadata, Options.Create(new RegistryOptions()));
        var session = (await operations.StartAsync("team/app")).Value;
        var empty = DigestHasher.Compute([]);

        // Another request's PATCH, on this instance or another one, leased the session and is writing.
        Assert.Equal(UploadWriteStatus.Opened, await metadata.LeaseUploadSessionAsync(session.Id, 0, "other-request", TimeSpan.FromHours(1)));
        var finished = await operations.CompleteAsync("team/app", session.Id, empty.ToString(), rangeStart: null, finalChunk: null);

        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, finished.Error?.Code);
        Assert.True((await operations.GetAsync("team/app", session.Id)).IsSuccess);
        Assert.NotNull(await uploads.GetAsync(session.Id));
        Assert.Null(await blobs.GetSizeAsync(empty));
    }
}
