using System.ComponentModel;
using System.Runtime.InteropServices;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Makes a rename durable: on Linux a rename is in the page cache until its folder is synced (<c>fsync</c> on the
/// folder), so a power cut right after an acknowledged commit could lose the blob. Elsewhere nothing to do (NTFS
/// journals its metadata; macOS ignores folder syncs).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on x64 and arm64 Linux

    /// <summary>Flushes <paramref name="path"/>'s entries (the names in it) to disk.</summary>
    /// <exception cref="IOException">The folder cannot be synced.</exception>
    public static void Flush(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open folder {path} to sync it.", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot sync folder {path}.", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
