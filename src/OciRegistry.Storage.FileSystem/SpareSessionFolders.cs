using System.Collections.Concurrent;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Folders of committed upload sessions, kept under <c>spare/</c> with their <c>info.json</c> and <c>lock</c> files
/// for new sessions to reuse: a session then creates one file, its data (which becomes the blob), instead of a folder
/// and three files, and its commit deletes nothing. Creating files is what small pushes cost most: ext4 without a
/// journal (this project's test machines) skips every inode freed in the last minutes when it allocates one, so a
/// registry that created and deleted three per blob slowed itself down as it ran (200 small images: 145 → 70 images/s
/// on a file system busy with earlier runs, inode allocation the server's top cost in <c>perf</c>).
/// </summary>
/// <remarks>
/// A spare is claimed by renaming it into <c>tmp/</c>, so two stores sharing the root (in this process or another)
/// never take the same one; one that vanished (taken, or removed while no store ran) is skipped. At most
/// <see cref="MaxKept"/> are kept per store; the rest are deleted.
/// </remarks>
internal sealed class SpareSessionFolders
{
    /// <summary>The most spare folders one store keeps.</summary>
    public const int MaxKept = 64;

    private readonly ConcurrentQueue<string> _names = new();
    private readonly string _directory;
    private int _count;

    /// <summary>Starts with the spares a previous run left, up to <see cref="MaxKept"/>.</summary>
    public SpareSessionFolders(FileSystemLayout layout)
    {
        _directory = layout.SpareDirectory;
        foreach (var folder in Directory.EnumerateDirectories(_directory).Take(MaxKept))
        {
            _names.Enqueue(Path.GetFileName(folder));
            _count++;
        }
    }

    /// <summary>Moves a spare folder to <paramref name="staging"/> (a new path under <c>tmp/</c>); false when none is left.</summary>
    public bool TryTake(string staging)
    {
        while (_names.TryDequeue(out var name))
        {
            Interlocked.Decrement(ref _count);
            try
            {
                Directory.Move(Path.Combine(_directory, name), staging);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                // Another store took it first.
            }
        }

        return false;
    }

    /// <summary>
    /// Keeps the folder of a committed session (its data already moved out, its lock released) for reuse, or deletes
    /// it when <see cref="MaxKept"/> are kept already.
    /// </summary>
    public void Keep(string ended)
    {
        if (Interlocked.Increment(ref _count) > MaxKept)
        {
            Interlocked.Decrement(ref _count);
            TempSweeper.DeleteInBackground(ended);
            return;
        }

        var name = Guid.NewGuid().ToString("N");
        try
        {
            Directory.Move(ended, Path.Combine(_directory, name));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The commit succeeded; a folder that cannot be kept is only garbage in tmp/.
            Interlocked.Decrement(ref _count);
            TempSweeper.DeleteInBackground(ended);
            return;
        }

        _names.Enqueue(name);
    }
}
