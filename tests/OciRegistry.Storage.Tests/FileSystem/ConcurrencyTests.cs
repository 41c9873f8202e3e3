using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class ConcurrencyTests : IDisposable
{
    private const int Pushers = 16;

    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ConcurrentPutsOfSameBlob_FromManyStores_LeaveOneIntactBlob()
    {
        var content = TestContent.Bytes(1 << 20, seed: 1);
        var digest = TestContent.DigestOf(content);

        await Task.WhenAll(Enumerable.Range(0, Pushers).Select(_ => Task.Run(async () =>
            await new FileSystemBlobStore(_root.Options).PutAsync(digest, content))));

        await AssertSingleIntactBlobAsync(digest, content);
    }

    [Fact]
    public async Task ConcurrentCommitsOfSameBlob_FromManySessions_LeaveOneIntactBlob()
    {
        var content = TestContent.Bytes(1 << 20, seed: 2);
        var digest = TestContent.DigestOf(content);

        await Task.WhenAll(Enumerable.Range(0, Pushers).Select(_ => Task.Run(async () =>
        {
            var uploads = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));
            var session = await uploads.CreateAsync(RepositoryName.Parse("library/alpine"));
            var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
            await using (writer)
            {
                await writer!.WriteAsync(TestContent.Segmented(content, segmentLength: 64 * 1024));
            }

            Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, digest, content.Length));
        })));

        await AssertSingleIntactBlobAsync(digest, content);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Path, "uploads")));
    }

    [Fact]
    public async Task ConcurrentRetags_EndWithTagOnOneOfThePushedManifests()
    {
        var manifests = Enumerable.Range(0, Pushers)
            .Select(i => new ManifestRecord(TestContent.DigestOf($"manifest {i}"), "application/vnd.oci.image.manifest.v1+json", i))
            .ToList();

        await Task.WhenAll(manifests.Select(manifest => Task.Run(async () =>
            await new SqliteMetadataStore(Database).PutManifestAsync(RepositoryName.Parse("library/alpine"), manifest, ManifestReferences.None, "latest"))));

        var tagged = await new SqliteMetadataStore(Database).ResolveTagAsync(RepositoryName.Parse("library/alpine"), "latest");
        Assert.Contains(manifests, manifest => manifest.Digest == tagged);
    }

    private string Database => Path.Combine(_root.Path, "metadata.db");

    private async Task AssertSingleIntactBlobAsync(Digest digest, byte[] content)
    {
        var blobs = new FileSystemBlobStore(_root.Options);
        Assert.Equal(digest, Assert.Single(await blobs.ListAsync().ToListAsync()).Digest);
        await using var blob = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
        await _root.AssertTmpEmptiesAsync();
    }
}
