using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Asks the kernel to start writing a range of a file's dirty pages to disk without waiting for it
/// (Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), so a later flush finds little left to do. Elsewhere it does
/// nothing: durability never depends on it, the commit's flush provides that.
/// </summary>
internal static partial class DiskWriteback
{
    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            // Best effort: a failure only means the commit's flush does all the work.
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);
}
