namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Writes and removes files so that a crash leaves either the old state or the new one, never a torn file:
/// content goes to a new temp file, is flushed to disk, then renamed into place, and the folder it went into is
/// synced so the rename itself survives a power cut.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="target"/> unless it exists; returns false when it did
    /// (the existing file is left as it is).
    /// </summary>
    public static bool Create(FileSystemLayout layout, string target, ReadOnlySpan<byte> content)
    {
        var temp = layout.NewTempPath();
        WriteDurably(temp, content);
        return MoveIntoPlace(temp, target);
    }

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> unless the target exists, in which case the
    /// source is deleted and false returned. Atomic: of two racing callers exactly one wins.
    /// </summary>
    public static bool MoveIntoPlace(string source, string target)
    {
        if (TryMoveIntoPlace(source, target))
        {
            return true;
        }

        File.Delete(source);
        return false;
    }

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> unless the target exists, in which case the
    /// source is left where it is and false returned. Atomic: of two racing callers exactly one wins.
    /// </summary>
    public static bool TryMoveIntoPlace(string source, string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            DirectorySync.Flush(Path.GetDirectoryName(folder)!);
        }

        try
        {
            File.Move(source, target, overwrite: false);
            DirectorySync.Flush(folder);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="target"/> (which exists) and syncs its folder; always true.</summary>
    public static bool Replace(string source, string target)
    {
        File.Move(source, target, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(target)!);
        return true;
    }

    /// <summary>Creates an empty marker file when it is missing.</summary>
    public static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
    }

    /// <summary>
    /// Removes <paramref name="path"/> by renaming it into the temp folder first, so of two racing callers exactly one
    /// gets true; false when it was not there.
    /// </summary>
    public static bool Delete(FileSystemLayout layout, string path)
    {
        var temp = layout.NewTempPath();
        try
        {
            File.Move(path, temp);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        File.Delete(temp);
        return true;
    }

    /// <summary>Reads a small file, or returns null when it does not exist.</summary>
    public static async ValueTask<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a file that must not exist yet, and flushes it to disk. Synchronous: the
    /// flush blocks the thread anyway, and an asynchronous write of a file is a hop to another thread-pool thread.
    /// </summary>
    public static void WriteDurably(string path, ReadOnlySpan<byte> content)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, content.Length);
        RandomAccess.Write(handle, content, 0);
        RandomAccess.FlushToDisk(handle);
    }
}
