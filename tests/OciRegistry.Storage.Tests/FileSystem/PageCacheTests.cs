using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// Large uploads stream through a small window of page cache: what is on disk more than
/// <see cref="FileSystemUploadWriter.CachedBytes"/> behind the end is dropped, the newest data stays cached.
/// </summary>
public sealed class PageCacheTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    // Under the build output, on the disk the repository is on: a tmpfs temp folder has no write-back to drop behind.
    private readonly TemporaryRoot _root = new(AppContext.BaseDirectory);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task LargeUpload_LeavesOnlyItsNewestData_InThePageCache_AndKeepsEveryByte()
    {
        var content = TestContent.Bytes(64 * MiB, seed: 7);
        var (uploads, dataFile, sessionId) = await UploadAsync(content);

        // Write-back starts every 8 MiB, and each start drops what lies more than 16 MiB before it: after 64 MiB the
        // first 40 MiB are dropped; the last 16 MiB are never dropped.
        Assert.InRange(PageCache.ResidentFraction(dataFile, 0, 40 * MiB), 0, 0.1);
        Assert.InRange(PageCache.ResidentFraction(dataFile, 48 * MiB, 16 * MiB), 0.9, 1);

        var stored = await uploads.OpenReadAsync(sessionId);
        Assert.NotNull(stored);
        await using (stored)
        {
            Assert.Equal(content, await TestContent.ReadAllAsync(stored));
        }
    }

    [Fact]
    public async Task UploadSmallerThanTheCachedWindow_StaysInThePageCache()
    {
        var (_, dataFile, _) = await UploadAsync(TestContent.Bytes(12 * MiB, seed: 8));

        Assert.InRange(PageCache.ResidentFraction(dataFile, 0, 12 * MiB), 0.9, 1);
    }

    private async Task<(FileSystemUploadStore Uploads, string DataFile, string SessionId)> UploadAsync(byte[] content)
    {
        var uploads = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));
        var sessionId = await TestContent.UploadAsync(uploads, "library/large", content, pieceBytes: MiB);
        return (uploads, Path.Combine(_root.Path, "uploads", sessionId, "data"), sessionId);
    }
}
