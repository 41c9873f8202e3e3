using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Steers the kernel's write-back of a file being streamed to disk (Linux <c>sync_file_range</c> and
/// <c>posix_fadvise</c>): start writing a range without waiting, and later wait for a range and drop it from the page
/// cache. Elsewhere both do nothing: durability never depends on them, the commit's flush provides that.
/// </summary>
internal static partial class DiskWriteback
{
    private const uint SyncFileRangeWaitBefore = 1;
    private const uint SyncFileRangeWrite = 2;
    private const uint SyncFileRangeWaitAfter = 4;
    private const int PosixFadviseDontNeed = 4;

    /// <summary>Starts writing the range's dirty pages to disk and returns at once.</summary>
    public static void Start(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            // Best effort: a failure only means the commit's flush does all the work.
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
    }

    /// <summary>Waits until the range is on disk, then drops its pages from the page cache.</summary>
    public static void Drop(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            // Best effort: pages still dirty are simply kept, and the commit's flush writes them.
            var fd = (int)file.DangerousGetHandle();
            _ = SyncFileRange(fd, offset, count, SyncFileRangeWaitBefore | SyncFileRangeWrite | SyncFileRangeWaitAfter);
            _ = PosixFadvise(fd, offset, count, PosixFadviseDontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long count, int advice);
}
