namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Removes what a crash left in <c>tmp/</c>: temp files and folders live for the duration of one write, a rename or a
/// commit (milliseconds to the length of one upload's final flush), so anything there longer than an hour belongs to
/// no running operation, in this process or another sharing the folder.
/// </summary>
internal static class TempSweeper
{
    public static readonly TimeSpan Age = TimeSpan.FromHours(1);

    /// <summary>
    /// Deletes a folder of <c>tmp/</c> on a thread-pool thread, so the request that ended with it does not wait: freeing
    /// a 1 GiB upload took ext4 ~120 ms. A failure, or a crash first, leaves it to <see cref="Sweep"/>.
    /// </summary>
    public static void DeleteInBackground(string folder) =>
        ThreadPool.UnsafeQueueUserWorkItem(static path => TryDelete(new DirectoryInfo(path)), folder, preferLocal: false);

    /// <summary>Deletes entries of <paramref name="tempDirectory"/> last written before <paramref name="now"/> minus <see cref="Age"/>; returns how many.</summary>
    public static int Sweep(string tempDirectory, DateTimeOffset now)
    {
        var removed = 0;
        var cutoff = (now - Age).UtcDateTime;
        foreach (var entry in new DirectoryInfo(tempDirectory).EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc >= cutoff)
            {
                continue;
            }

            if (TryDelete(entry))
            {
                removed++;
            }
        }

        return removed;
    }

    private static bool TryDelete(FileSystemInfo entry)
    {
        try
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Another instance sharing the folder removed or holds it; it is not ours to fight over.
            return false;
        }
    }
}
