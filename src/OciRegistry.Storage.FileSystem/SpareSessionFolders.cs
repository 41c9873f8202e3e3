using System.Collections.Concurrent;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Folders of committed upload sessions, kept under <c>spare/</c> with their <c>info.json</c> and <c>lock</c> files
/// and a new, empty <c>data</c> file for new sessions to reuse: a session then creates no file, instead of a folder and
/// three files, and its commit deletes nothing. Creating files is what small pushes cost most: ext4 without a journal
/// (this project's test machines) skips every inode freed in the last minutes when it allocates one, so a registry that
/// created and deleted three per blob slowed itself down as it ran (200 small images: 145 → 70 images/s on a file
/// system busy with earlier runs, inode allocation the server's top cost in <c>perf</c>). A blob's own file cannot be
/// kept (it is renamed into <c>blobs/</c>), so its successor is created when the folder is kept, on a thread-pool
/// thread, off the path of the request that committed and of the one that will reuse it.
/// </summary>
/// <remarks>
/// <para>A spare's <c>data</c> is created while the ended folder is still in <c>tmp/</c>, then the folder is renamed
/// into <c>spare/</c>: no other store sees it before it is whole, and no session's path leads to that file, so nothing
/// writes into it; the session that reuses the folder opens it truncating all the same. <c>spare/</c> is never read as
/// sessions (those are under <c>uploads/</c>), so an empty <c>data</c> there is not mistaken for one.</para>
/// <para>A spare is claimed by renaming it into <c>tmp/</c>, so two stores sharing the root (in this process or another)
/// never take the same one; one that vanished (taken, or removed while no store ran) is skipped. At most
/// <see cref="MaxKept"/> are kept per store; the rest are deleted.</para>
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
    /// Keeps the folder of a committed session (its data already moved out, its lock released) for reuse, once a new
    /// <c>data</c> is in it (in the background), or deletes it when <see cref="MaxKept"/> are kept already.
    /// </summary>
    public void Keep(string ended)
    {
        if (Interlocked.Increment(ref _count) > MaxKept)
        {
            Interlocked.Decrement(ref _count);
            TempSweeper.DeleteInBackground(ended);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Spares.Prepare(state.Ended), (Spares: this, Ended: ended), preferLocal: false);
    }

    private void Prepare(string ended)
    {
        var name = Guid.NewGuid().ToString("N");
        try
        {
            File.OpenHandle(Path.Combine(ended, FileSystemLayout.DataFileName), FileMode.CreateNew, FileAccess.Write).Dispose();
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
