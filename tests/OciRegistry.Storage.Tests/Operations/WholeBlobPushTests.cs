using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Tests.AzureBlob;
using OciRegistry.Storage.Tests.FileSystem;

namespace OciRegistry.Storage.Tests.Operations;

/// <summary>
/// The whole blob in the PUT of an empty session (its digest known before the bytes, so written straight to the blob's
/// final place where the store can): only verified bytes ever show under a digest, on every store.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WholeBlobPushTests(AzuriteServer azurite) : IDisposable
{
    private const string Repository = "team/app";

    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    public static TheoryData<string> Stores => ["memory", "files", "azure"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ABodyThatDoesNotHashToItsDigest_StoresNothing_AndEndsTheSession(string store)
    {
        var (operations, blobs, _) = Create(store);
        var content = TestContent.Bytes(9 * 1024 * 1024, seed: 1);
        var claimed = DigestHasher.Compute(TestContent.Bytes(100, seed: 2));
        var session = (await operations.StartAsync(Repository)).Value;

        var put = await operations.CompleteAsync(Repository, session.Id, claimed.ToString(), rangeStart: null, Body(content));

        Assert.Equal(RegistryErrorCode.DigestInvalid, put.Error?.Code);
        Assert.Null(await blobs.GetSizeAsync(claimed));
        Assert.Null(await blobs.GetSizeAsync(DigestHasher.Compute(content)));
        Assert.Empty(await blobs.ListAsync().ToListAsync());
        Assert.False((await operations.GetAsync(Repository, session.Id)).IsSuccess);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task APutRacingAPatchThatHoldsTheSession_IsRefused_AndStoresNothing(string store)
    {
        var (operations, blobs, sessions) = Create(store);
        var content = TestContent.Bytes(20_000, seed: 3);
        var digest = DigestHasher.Compute(content);
        var session = (await operations.StartAsync(Repository)).Value;
        Assert.Equal(UploadWriteStatus.Opened, await sessions.LeaseUploadSessionAsync(session.Id, 0, "another-request", TimeSpan.FromHours(1)));

        var put = await operations.CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, Body(content));

        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, put.Error?.Code);
        Assert.Null(await blobs.GetSizeAsync(digest));
        Assert.True((await operations.GetAsync(Repository, session.Id)).IsSuccess);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AMonolithicPush_StoresTheBlob_AndLeavesNoSession(string store)
    {
        var (operations, blobs, sessions) = Create(store);
        var content = TestContent.Bytes(20_000, seed: 4);
        var digest = DigestHasher.Compute(content);

        Assert.Equal(digest, (await operations.PushAsync(Repository, digest.ToString(), Body(content))).Value);

        await using var stored = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(stored!));
        Assert.Empty(await sessions.ListUploadSessionsAsync().ToListAsync());
    }

    private static PipeReader Body(byte[] content) => PipeReader.Create(new MemoryStream(content));

    private (UploadOperations Operations, IBlobStore Blobs, IUploadSessionStore Sessions) Create(string store)
    {
        (IUploadStore uploads, IBlobStore blobs) = store switch
        {
            "memory" => InMemory(),
            "files" => Files(),
            _ => Azure(),
        };
        var metadata = new InMemoryMetadataStore();
        return (new UploadOperations(uploads, metadata, blobs, metadata, Options.Create(new RegistryOptions())), blobs, metadata);
    }

    private static (IUploadStore, IBlobStore) InMemory()
    {
        var blobs = new InMemoryBlobStore();
        return (new InMemoryUploadStore(blobs), blobs);
    }

    private (IUploadStore, IBlobStore) Files()
    {
        var blobs = new FileSystemBlobStore(_root.Options);
        return (new FileSystemUploadStore(blobs), blobs);
    }

    private (IUploadStore, IBlobStore) Azure()
    {
        var blobs = new AzureBlobStore(azurite.CreateContainer());
        return (new AzureBlobUploadStore(blobs), blobs);
    }
}
