using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// Committed sessions' folders, with a new empty data file, are reused by new sessions, so a push's requests create no
/// file and delete none. A folder is kept in the background: the tests wait for tmp/ to empty before they look.
/// </summary>
public sealed class SpareSessionFolderTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    private string SpareDirectory => Path.Combine(_root.Path, "spare");

    [Fact]
    public async Task ACommittedSessionsFolder_IsKept_AndTheNextSessionReusesIt_WithItsOwnInfo()
    {
        var uploads = NewStore();
        var (first, _) = await CommitTheFirstAsync(uploads, seed: 1);

        var second = await UploadAsync(uploads, "library/second", TestContent.Bytes(3_000, seed: 2));

        Assert.Empty(Directory.EnumerateDirectories(SpareDirectory));
        Assert.True(File.Exists(Path.Combine(_root.Path, "uploads", second.Id, "lock")), "the reused folder kept its lock file");
        var session = await uploads.GetAsync(second.Id);
        Assert.Equal("library/second", session!.Repository.Value);
        Assert.Equal(3_000, session.Length);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(second.Id, second.Digest, second.Content.Length));
        await AssertStoredAsync(first.Digest, first.Content);
        await AssertStoredAsync(second.Digest, second.Content);
    }

    [Fact]
    public async Task AReusedFoldersInfo_IsRewrittenInPlace_NeverCutShortUnderAReader_AndNamesOnlyTheNewSession()
    {
        // Expiry lists sessions while pushes run: it may open a session's info.json just before that session commits
        // and its folder is reused. The next session rewrites that same file (no inode created or deleted); a shorter
        // document is padded, as cutting the file short threw EndOfStreamException under such a reader.
        var uploads = NewStore();
        var first = await UploadAsync(uploads, "library/first-with-a-longer-name", TestContent.Bytes(2_000, seed: 4));
        using var reader = new FileStream(Path.Combine(_root.Path, "uploads", first.Id, "info.json"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var expected = reader.Length;

        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(first.Id, first.Digest, first.Content.Length));
        await _root.AssertTmpEmptiesAsync();
        var second = await UploadAsync(uploads, "library/b", TestContent.Bytes(3_000, seed: 5));

        Assert.Empty(Directory.EnumerateDirectories(SpareDirectory));
        var read = new byte[expected];
        await reader.ReadExactlyAsync(read);
        Assert.Contains("library/b", System.Text.Encoding.UTF8.GetString(read), StringComparison.Ordinal);
        Assert.Null(await uploads.GetAsync(first.Id));
        var session = await uploads.GetAsync(second.Id);
        Assert.Equal("library/b", session!.Repository.Value);
        Assert.Equal(3_000, session.Length);
    }

    [Fact]
    public async Task FoldersStillHoldingData_Cancels_AreNotKept_ButADuplicateWhoseDataReplacedTheBlobIs_WithAnEmptyData()
    {
        var uploads = NewStore();
        var content = TestContent.Bytes(1_000, seed: 3);
        var original = await UploadAsync(uploads, "library/a", content);
        await uploads.CommitAsync(original.Id, original.Digest, original.Content.Length);
        await _root.AssertTmpEmptiesAsync();
        var spares = Directory.EnumerateDirectories(SpareDirectory).ToList();

        var cancelled = await UploadAsync(uploads, "library/c", content);
        Assert.True(await uploads.DeleteAsync(cancelled.Id));
        await _root.AssertTmpEmptiesAsync();
        Assert.Empty(Directory.EnumerateDirectories(SpareDirectory).Except(spares));

        // A duplicate's data replaces the stored blob (so a bad copy is repaired): its folder is kept, holding a new,
        // empty data file, not the session's bytes.
        var duplicate = await UploadAsync(uploads, "library/b", content);
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(duplicate.Id, duplicate.Digest, duplicate.Content.Length));
        await _root.AssertTmpEmptiesAsync();
        var kept = Assert.Single(Directory.EnumerateDirectories(SpareDirectory).Except(spares));
        Assert.Equal(0, new FileInfo(Path.Combine(kept, "data")).Length);
        await AssertStoredAsync(duplicate.Digest, content);
    }

    [Fact]
    public async Task AKeptFoldersDataFile_IsTheNextSessions_WhichStartsEmpty_WhateverTheFileHeld()
    {
        var uploads = NewStore();
        var (_, kept) = await CommitTheFirstAsync(uploads, seed: 6);
        var keptData = Path.Combine(kept, "data");
        Assert.Equal(0, new FileInfo(keptData).Length);

        // No session's path leads to a spare's data, so nothing writes into it; bytes put there anyway must not
        // become the next session's.
        await File.WriteAllBytesAsync(keptData, TestContent.Bytes(5_000, seed: 7));
        using var keptFile = new FileStream(keptData, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var session = await uploads.CreateAsync(RepositoryName.Parse("library/second"));

        Assert.Empty(Directory.EnumerateDirectories(SpareDirectory));
        Assert.Equal(0, (await uploads.GetAsync(session.Id))!.Length);
        Assert.Equal(0, keptFile.Length);
        var content = TestContent.Bytes(300, seed: 8);
        var (status, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(new(content));
        }

        // The session wrote into the very file the folder was kept with: no inode was created for it.
        var read = new byte[keptFile.Length];
        await keptFile.ReadExactlyAsync(read);
        Assert.Equal(content, read);
        Assert.Equal(300, (await uploads.GetAsync(session.Id))!.Length);
    }

    [Fact]
    public async Task AtMostMaxKept_FoldersAreKept()
    {
        var uploads = NewStore();
        var sessions = new List<(string Id, Core.Digests.Digest Digest, byte[] Content)>();
        for (var i = 0; i < SpareSessionFolders.MaxKept + 3; i++)
        {
            sessions.Add(await UploadAsync(uploads, "library/many", TestContent.Bytes(100, seed: 100 + i)));
        }

        foreach (var session in sessions)
        {
            Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(session.Id, session.Digest, session.Content.Length));
        }

        await _root.AssertTmpEmptiesAsync();
        Assert.Equal(SpareSessionFolders.MaxKept, Directory.EnumerateDirectories(SpareDirectory).Count());
    }

    [Fact]
    public async Task StoresSharingARoot_NeverTakeTheSameSpare()
    {
        var writer = NewStore();
        var committed = await UploadAsync(writer, "library/a", TestContent.Bytes(500, seed: 4));
        await writer.CommitAsync(committed.Id, committed.Digest, committed.Content.Length);
        await _root.AssertTmpEmptiesAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore()).Append(writer).ToList(); // all know the one spare

        var created = await Task.WhenAll(stores.Select(store => Task.Run(async () => await store.CreateAsync(RepositoryName.Parse("library/race")))));

        Assert.Equal(created.Length, created.Select(session => session.Id).Distinct().Count());
        Assert.Equal(created.Length, Directory.EnumerateDirectories(Path.Combine(_root.Path, "uploads")).Count());
        Assert.Empty(Directory.EnumerateDirectories(SpareDirectory));
    }

    private FileSystemUploadStore NewStore() => new(new FileSystemBlobStore(_root.Options));

    // Commits a first upload to a new store and waits until its folder is kept: the one spare, returned.
    private async Task<((string Id, Core.Digests.Digest Digest, byte[] Content) Upload, string Kept)> CommitTheFirstAsync(FileSystemUploadStore uploads, int seed)
    {
        var first = await UploadAsync(uploads, "library/first", TestContent.Bytes(2_000, seed));
        Assert.Equal(UploadCommitStatus.Committed, await uploads.CommitAsync(first.Id, first.Digest, first.Content.Length));
        await _root.AssertTmpEmptiesAsync();
        return (first, Assert.Single(Directory.EnumerateDirectories(SpareDirectory)));
    }

    private async Task AssertStoredAsync(Core.Digests.Digest digest, byte[] content)
    {
        var stored = await new FileSystemBlobStore(_root.Options).OpenAsync(digest);
        await using (stored)
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(stored!));
        }
    }

    private static async Task<(string Id, Core.Digests.Digest Digest, byte[] Content)> UploadAsync(FileSystemUploadStore uploads, string repository, byte[] content)
    {
        var id = await TestContent.UploadAsync(uploads, repository, content);
        return (id, TestContent.DigestOf(content), content);
    }
}
