using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Operations;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Storage.Tests.FileSystem;

namespace OciRegistry.Storage.Tests.Operations;

/// <summary>
/// Two registry instances (their own stores and operations, so their own hash caches) on one root and one metadata
/// database: an upload goes on wherever its next request lands, and ends once.
/// </summary>
public sealed class TwoInstanceUploadTests : IDisposable
{
    private const string Repository = "team/app";

    private readonly TemporaryRoot _root = new();
    private readonly List<SqliteMetadataStore> _databases = [];

    public void Dispose()
    {
        _databases.ForEach(database => database.Dispose());
        _root.Dispose();
    }

    [Fact]
    public async Task AnUploadContinuedOnTheOtherInstance_CommitsExactlyItsBytes_Once()
    {
        var (a, aBlobs) = StartInstance();
        var (b, _) = StartInstance();
        var first = TestContent.Bytes(70_000, seed: 1);
        var second = TestContent.Bytes(30_000, seed: 2);
        var whole = first.Concat(second).ToArray();
        var session = (await a.StartAsync(Repository)).Value;

        Assert.Equal(first.Length, (await a.AppendAsync(Repository, session.Id, 0, Body(first))).Value.Length);
        Assert.Equal(
            RegistryErrorCode.BlobUploadInvalid,
            (await b.AppendAsync(Repository, session.Id, 0, Body(second))).Error?.Code); // a repeated chunk: out of order
        Assert.Equal(whole.Length, (await b.AppendAsync(Repository, session.Id, first.Length, Body(second))).Value.Length);

        // Instance A's running hash covers only the first chunk: it hashes the stored prefix again.
        var digest = DigestHasher.Compute(whole);
        Assert.Equal(digest, (await a.CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, finalChunk: null)).Value);
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, (await b.CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, finalChunk: null)).Error?.Code);

        await using var stored = await aBlobs.OpenAsync(digest);
        Assert.Equal(whole, await TestContent.ReadAllAsync(stored!));
    }

    [Fact]
    public async Task AFinalPutRacingAPatchOnTheOtherInstance_StoresOnlyWhatItHashed()
    {
        for (var round = 0; round < 10; round++)
        {
            var (a, aBlobs) = StartInstance();
            var (b, _) = StartInstance();
            var x = TestContent.Bytes(20_000, seed: round);
            var y = TestContent.Bytes(9_000, seed: round + 100);
            var digestOfX = DigestHasher.Compute(x);
            var session = (await a.StartAsync(Repository)).Value;
            Assert.True((await a.AppendAsync(Repository, session.Id, null, Body(x))).IsSuccess);

            var patch = Task.Run(async () => await b.AppendAsync(Repository, session.Id, null, Body(y)));
            var put = Task.Run(async () => await a.CompleteAsync(Repository, session.Id, digestOfX.ToString(), rangeStart: null, finalChunk: null));
            var (patched, committed) = (await patch, await put);

            Assert.False(patched.IsSuccess && committed.IsSuccess, "both the PATCH and the PUT succeeded");
            await using var stored = await aBlobs.OpenAsync(digestOfX);
            if (committed.IsSuccess)
            {
                Assert.Equal(x, await TestContent.ReadAllAsync(stored!));
            }
            else
            {
                Assert.Null(stored);
            }
        }
    }

    private static PipeReader Body(byte[] content) => PipeReader.Create(new MemoryStream(content));

    private (UploadOperations Operations, FileSystemBlobStore Blobs) StartInstance()
    {
        var blobs = new FileSystemBlobStore(_root.Options);
        var database = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));
        _databases.Add(database);
        return (new UploadOperations(new FileSystemUploadStore(blobs), database, blobs, database, Options.Create(new RegistryOptions())), blobs);
    }
}
