using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class DurabilityTests : IDisposable
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("library/alpine");

    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task LeftoverTempFile_AndUncommittedSession_AreNotBlobs()
    {
        var content = TestContent.Bytes(1_000, seed: 1);
        var digest = TestContent.DigestOf(content);
        var blobs = new FileSystemBlobStore(_root.Options);
        var uploads = new FileSystemUploadStore(blobs);
        await File.WriteAllBytesAsync(Path.Combine(_root.Path, "tmp", digest.EncodedString), content);
        var session = await uploads.CreateAsync(Repository);
        var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        await using (writer)
        {
            await writer!.WriteAsync(new(content));
        }

        Assert.Null(await blobs.GetSizeAsync(digest));
        Assert.Null(await blobs.OpenAsync(digest));
        Assert.Empty(await blobs.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task EndedSessions_LeaveNothingInTmp_OnceTheirBackgroundDeletionRan()
    {
        var content = TestContent.Bytes(3_000, seed: 3);
        var digest = TestContent.DigestOf(content);
        var blobs = new FileSystemBlobStore(_root.Options);
        var uploads = new FileSystemUploadStore(blobs);
        var committed = await TestContent.UploadAsync(uploads, Repository.Value, content);
        var duplicate = await TestContent.UploadAsync(uploads, Repository.Value, content);
        var cancelled = await TestContent.UploadAsync(uploads, Repository.Value, content);

        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(committed, digest, content.Length));
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(duplicate, digest, content.Length));
        Assert.True(await uploads.DeleteAsync(cancelled));

        await _root.AssertTmpEmptiesAsync();
        Assert.Empty(await uploads.ListAsync().ToListAsync());
        var stored = await blobs.OpenAsync(digest);
        await using (stored)
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(stored!));
        }
    }

    [Fact]
    public void OpeningTheStore_RemovesOldCrashLeftovers_FromTmp_AndKeepsFreshOnes()
    {
        var tmp = Path.Combine(_root.Path, "tmp");
        Directory.CreateDirectory(tmp);
        var oldFile = Path.Combine(tmp, "old-file");
        var oldFolder = Path.Combine(tmp, "old-session");
        var freshFile = Path.Combine(tmp, "fresh-file");
        File.WriteAllText(oldFile, "torn");
        Directory.CreateDirectory(oldFolder);
        File.WriteAllText(Path.Combine(oldFolder, "data"), "torn");
        File.WriteAllText(freshFile, "in flight");
        var longAgo = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(oldFile, longAgo);
        Directory.SetLastWriteTimeUtc(oldFolder, longAgo);

        _ = new FileSystemBlobStore(_root.Options);

        Assert.False(File.Exists(oldFile));
        Assert.False(Directory.Exists(oldFolder));
        Assert.True(File.Exists(freshFile));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"repository\":\"libr")]
    [InlineData("{}")]
    public async Task SessionWhoseInfoACrashTore_IsUnknown_NotAnError(string tornInfo)
    {
        var uploads = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));
        var session = await uploads.CreateAsync(Repository);
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "uploads", session.Id, "info.json"), tornInfo);

        Assert.Null(await uploads.GetAsync(session.Id));
        Assert.Empty(await uploads.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task ReopenedStores_SeeEverythingWritten()
    {
        var content = TestContent.Bytes(5_000, seed: 2);
        var digest = TestContent.DigestOf(content);
        var subject = new ManifestRecord(TestContent.DigestOf("subject"), "application/vnd.oci.image.manifest.v1+json", 10);
        var referrer = new ManifestRecord(
            TestContent.DigestOf("referrer"), "application/vnd.oci.image.manifest.v1+json", 20, subject.Digest, "application/vnd.example", new Dictionary<string, string> { ["k"] = "v" });
        string sessionId;
        {
            var blobs = new FileSystemBlobStore(_root.Options);
            var uploads = new FileSystemUploadStore(blobs);
            var metadata = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));
            await blobs.PutAsync(digest, content);
            sessionId = (await uploads.CreateAsync(Repository)).Id;
            var (_, writer) = await uploads.OpenWriterAsync(sessionId, 0);
            await using (writer)
            {
                await writer!.WriteAsync(new(content[..123]));
            }

            await metadata.LinkBlobAsync(Repository, digest);
            await metadata.PutManifestAsync(Repository, subject, ManifestReferences.None, "latest");
            await metadata.PutManifestAsync(Repository, referrer, ManifestReferences.None, tag: null);
        }

        var reopenedBlobs = new FileSystemBlobStore(_root.Options);
        var reopenedUploads = new FileSystemUploadStore(reopenedBlobs);
        var reopenedMetadata = new SqliteMetadataStore(Path.Combine(_root.Path, "metadata.db"));

        Assert.Equal(content.Length, await reopenedBlobs.GetSizeAsync(digest));
        Assert.Equal(123, (await reopenedUploads.GetAsync(sessionId))!.Length);
        Assert.Equal(UploadWriteStatus.Opened, (await reopenedUploads.OpenWriterAsync(sessionId, 123)).Status);
        Assert.True(await reopenedMetadata.IsBlobLinkedAsync(Repository, digest));
        Assert.Equal(subject.Digest, await reopenedMetadata.ResolveTagAsync(Repository, "latest"));
        var listed = Assert.Single(await reopenedMetadata.ListReferrersAsync(Repository, subject.Digest));
        Assert.Equal(referrer with { Annotations = null }, listed with { Annotations = null, PushedAt = null });
        Assert.Equal("v", listed.Annotations!["k"]);
        Assert.Equal([Repository], await reopenedMetadata.ListRepositoriesAsync(null, 10));
    }

    [Fact]
    public async Task SessionOfWriterNeverDisposed_IsListed_AndBusyForAnotherStoreInstance()
    {
        var crashed = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));
        var session = await crashed.CreateAsync(Repository);
        var (_, abandoned) = await crashed.OpenWriterAsync(session.Id, 0);
        await abandoned!.WriteAsync(new(new byte[77]));

        var other = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));

        var listed = Assert.Single(await other.ListAsync().ToListAsync());
        Assert.Equal((session.Id, Repository, 77L), (listed.Id, listed.Repository, listed.Length));
        Assert.Equal(UploadWriteStatus.Busy, (await other.OpenWriterAsync(session.Id, 77)).Status);
        Assert.True(await other.DeleteAsync(session.Id));
        Assert.Empty(await other.ListAsync().ToListAsync());
        GC.KeepAlive(abandoned);
    }
}
