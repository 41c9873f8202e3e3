using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>Which part of a file the Linux page cache holds (<c>mincore</c> over a read-only mapping of it).</summary>
internal static partial class PageCache
{
    /// <summary>The fraction, 0 to 1, of the pages of <c>[offset, offset + length)</c> that are cached.</summary>
    public static unsafe double ResidentFraction(string path, long offset, long length)
    {
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        byte* mapped = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
        try
        {
            var pageSize = Environment.SystemPageSize;
            var pages = new byte[(length + pageSize - 1) / pageSize];
            if (MinCore(mapped + view.PointerOffset, (nuint)length, pages) != 0)
            {
                throw new IOException($"mincore failed with errno {Marshal.GetLastPInvokeError()}");
            }

            return pages.Count(page => (page & 1) != 0) / (double)pages.Length;
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static unsafe partial int MinCore(byte* address, nuint length, [Out] byte[] residency);
}
