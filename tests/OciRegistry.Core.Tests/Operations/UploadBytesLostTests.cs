using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Tests.Operations;

/// <summary>
/// A session whose byte store holds fewer bytes than its row records (bytes a store acknowledged and then lost, as an
/// object store's instance that dies before staging them): the upload is unknown, not of another digest, and nothing
/// is stored.
/// </summary>
public sealed class UploadBytesLostTests
{
    [Fact]
    public async Task AnUploadWhoseStoreHoldsLessThanItsRow_IsUnknown_ToThePutAndThePatch_AndStoresNothing()
    {
        var blobs = new InMemoryBlobStore();
        var metadata = new InMemoryMetadataStore();
        var operations = new UploadOperations(new InMemoryUploadStore(blobs), metadata, blobs, metadata, Options.Create(new RegistryOptions()));
        var stored = new byte[] { 1, 2, 3, 4 };
        var acknowledged = new byte[] { 1, 2, 3, 4, 5, 6 };
        var session = (await operations.StartAsync("team/app")).Value;
        Assert.True((await operations.AppendAsync("team/app", session.Id, 0, Body(stored))).IsSuccess);
        // The row records two more bytes than the store holds.
        Assert.Equal(Storage.UploadWriteStatus.Opened, await metadata.LeaseUploadSessionAsync(session.Id, stored.Length, "lost-writer", TimeSpan.FromHours(1)));
        Assert.True(await metadata.AdvanceUploadSessionAsync(session.Id, "lost-writer", stored.Length, acknowledged.Length));

        var patch = await operations.AppendAsync("team/app", session.Id, acknowledged.Length, Body([7]));
        var digest = DigestHasher.Compute(acknowledged);
        var put = await operations.CompleteAsync("team/app", session.Id, digest.ToString(), rangeStart: null, finalChunk: null);

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, patch.Error?.Code);
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, put.Error?.Code);
        Assert.Null(await blobs.GetSizeAsync(digest));
        Assert.Null(await blobs.GetSizeAsync(DigestHasher.Compute(stored)));
    }

    private static PipeReader Body(byte[] content) => PipeReader.Create(new MemoryStream(content));
}
