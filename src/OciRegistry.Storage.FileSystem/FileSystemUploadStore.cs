using OciRegistry.Core.References;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// An <see cref="IUploadStore"/> keeping each session as a folder under <c>uploads/</c>, committed into the
/// <see cref="FileSystemBlobStore"/> it was built with (same root, so commit is a rename).
/// </summary>
/// <remarks>
/// <para>A session folder is assembled in <c>tmp/</c> and renamed into <c>uploads/</c>, so it appears whole. Its length is
/// its data file's length; another process sharing the root can continue it.</para>
/// <para>One writer per session: an in-process set of ids, plus an exclusive lock on <c>uploads/&lt;id&gt;/lock</c>
/// held while the writer is open, so a writer in a second process gets <see cref="UploadWriteStatus.Busy"/> as well.
/// A crashed process's lock is released by the operating system. A writer must be disposed: one leaked in this
/// process keeps its session busy.</para>
/// <para>Commit and delete first rename the session folder into <c>tmp/</c>, which ends the session atomically:
/// of two racing calls only one succeeds, and a crash leaves only garbage in <c>tmp/</c>. A committed session's
/// folder is then kept for a new session (<see cref="SpareSessionFolders"/>); other ended folders are deleted in the
/// background.</para>
/// </remarks>
public sealed class FileSystemUploadStore : IUploadStore
{
    private readonly ConcurrentDictionary<string, byte> _sessionsInUse = new(StringComparer.Ordinal);
    private readonly FileSystemBlobStore _blobs;
    private readonly FileSystemLayout _layout;
    private readonly TimeProvider _timeProvider;
    private readonly SpareSessionFolders _spares;

    /// <summary>Opens the upload sessions kept under <paramref name="blobs"/>' root.</summary>
    /// <param name="blobs">The blob store committed uploads go to.</param>
    /// <param name="timeProvider">The clock stamping <see cref="UploadSession.StartedAt"/>; the system clock when omitted.</param>
    public FileSystemUploadStore(FileSystemBlobStore blobs, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _layout = blobs.Layout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _spares = new SpareSessionFolders(_layout);
    }

    /// <inheritdoc />
    public ValueTask<UploadSession> CreateAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, _timeProvider.GetUtcNow(), 0);
        var staging = _layout.NewTempPath();
        if (!_spares.TryTake(staging))
        {
            Directory.CreateDirectory(staging);
        }

        // Not flushed to disk: a session a crash loses is unknown afterwards and the client starts over. A reused folder
        // holds the empty data file it was kept with (SpareSessionFolders), so no inode is created here; it is opened
        // truncating all the same, so the session starts empty whatever the folder held. Its info.json is rewritten in
        // place (WriteInfo).
        var info = JsonSerializer.SerializeToUtf8Bytes(
            new UploadInfoDocument(repository.Value, session.StartedAt), FileSystemJsonContext.Default.UploadInfoDocument);
        File.OpenHandle(Path.Combine(staging, FileSystemLayout.DataFileName), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
        WriteInfo(Path.Combine(staging, "info.json"), info);
        Directory.Move(staging, _layout.Upload(session.Id));
        return ValueTask.FromResult(session);
    }

    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        FileSystemLayout.IsUploadId(id) ? ReadSessionAsync(id, cancellationToken) : ValueTask.FromResult<UploadSession?>(null);

    /// <inheritdoc />
    public ValueTask<(UploadWriteStatus Status, IUploadWriter? Writer)> OpenWriterAsync(string id, long offset, CancellationToken cancellationToken = default)
    {
        var (status, writer) = OpenDataWriter(id, offset);
        return ValueTask.FromResult<(UploadWriteStatus, IUploadWriter?)>((status, writer));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The bytes go into the session's data file, as a PATCH's; the writer flushes them when the caller says they are
    /// verified (<see cref="IBlobWriter.FlushAsync"/>, while its metadata calls are in flight) and commits under the
    /// lock it holds, so the commit only moves the file.
    /// </remarks>
    public ValueTask<(UploadWriteStatus Status, IBlobWriter? Writer)> OpenBlobWriterAsync(string id, Digest digest, CancellationToken cancellationToken = default)
    {
        var (status, writer) = OpenDataWriter(id, 0);
        return ValueTask.FromResult<(UploadWriteStatus, IBlobWriter?)>((status, writer is null ? null : new FileSystemBlobWriter(this, id, digest, writer)));
    }

    private (UploadWriteStatus Status, FileSystemUploadWriter? Writer) OpenDataWriter(string id, long offset)
    {
        if (!FileSystemLayout.IsUploadId(id))
        {
            return (UploadWriteStatus.Unknown, null);
        }

        var (status, exclusiveLock) = TryLock(id);
        if (exclusiveLock is null)
        {
            return (status, null);
        }

        SafeFileHandle? data = null;
        try
        {
            data = File.OpenHandle(
                _layout.UploadData(id), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            var length = RandomAccess.GetLength(data);
            if (length >= offset)
            {
                if (length > offset)
                {
                    RandomAccess.SetLength(data, offset);
                }

                return (UploadWriteStatus.Opened, new FileSystemUploadWriter(data, exclusiveLock, offset, () => Release(id)));
            }

            status = UploadWriteStatus.OffsetMismatch;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            status = UploadWriteStatus.Unknown;
        }

        data?.Dispose();
        exclusiveLock.Dispose();
        Release(id);
        return (status, null);
    }

    /// <inheritdoc />
    public ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IBlobContent?>(FileSystemLayout.IsUploadId(id) ? FileBlobContent.TryOpen(_layout.UploadData(id)) : null);

    /// <inheritdoc />
    public ValueTask<UploadCommitStatus> CommitAsync(string id, Digest digest, long length, CancellationToken cancellationToken = default)
    {
        if (!FileSystemLayout.IsUploadId(id))
        {
            return ValueTask.FromResult(UploadCommitStatus.Unknown);
        }

        var (status, exclusiveLock) = TryLock(id);
        if (exclusiveLock is null)
        {
            return ValueTask.FromResult(status == UploadWriteStatus.Busy ? UploadCommitStatus.Busy : UploadCommitStatus.Unknown);
        }

        CommittedSession committed;
        try
        {
            committed = CommitLocked(id, digest, length, flushed: false);
        }
        finally
        {
            exclusiveLock.Dispose();
            Release(id);
        }

        Recycle(committed);
        return ValueTask.FromResult(committed.Status);
    }

    /// <summary>
    /// Ends session <paramref name="id"/> and moves its data into the blob store as <paramref name="digest"/>, under
    /// the session's lock, which the caller holds; the data is flushed to disk first unless <paramref name="flushed"/>.
    /// The caller releases the lock, then hands the result to <see cref="Recycle"/>.
    /// </summary>
    internal CommittedSession CommitLocked(string id, Digest digest, long length, bool flushed)
    {
        // Checked under the session's lock, which every writer holds: the length cannot change before the end.
        if (new FileInfo(_layout.UploadData(id)) is not { Exists: true } data)
        {
            return new CommittedSession(UploadCommitStatus.Unknown, null, false);
        }

        if (data.Length != length)
        {
            return new CommittedSession(UploadCommitStatus.LengthMismatch, null, false);
        }

        var ended = EndSession(id);
        if (ended is null)
        {
            return new CommittedSession(UploadCommitStatus.Unknown, null, false);
        }

        // The verified upload always lands: a stored copy is replaced atomically (rename over it; readers keep the
        // file they opened), so one whose bytes went bad (a disk error, an old bug) is repaired by the next genuine
        // push instead of served for ever. Measured against dropping the duplicate in benchmarks/RESULTS.md.
        var endedData = Path.Combine(ended, FileSystemLayout.DataFileName);
        if (!flushed)
        {
            FlushToDisk(endedData);
        }

        var moved = _blobs.SizeOf(digest) is null ? _blobs.TryCommit(endedData, digest) : _blobs.Replace(endedData, digest);
        return new CommittedSession(UploadCommitStatus.Committed, ended, moved);
    }

    /// <summary>
    /// After a commit, once the session's lock is released: its folder is kept for a new session when its data moved
    /// out; one still holding data goes.
    /// </summary>
    internal void Recycle(CommittedSession committed)
    {
        if (committed.Ended is null)
        {
            return;
        }

        if (committed.Moved)
        {
            _spares.Keep(committed.Ended);
        }
        else
        {
            TempSweeper.DeleteInBackground(committed.Ended);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Does not wait for an open writer: its further writes go to a file that no longer belongs to any session. The
    /// data is truncated at once, so the space is free when this returns (on a full disk the metadata store's next
    /// write needs it); the folder goes in the background.
    /// </remarks>
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var ended = FileSystemLayout.IsUploadId(id) ? EndSession(id) : null;
        if (ended is null)
        {
            return ValueTask.FromResult(false);
        }

        try
        {
            using var data = File.OpenHandle(Path.Combine(ended, FileSystemLayout.DataFileName), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.SetLength(data, 0);
        }
        catch (FileNotFoundException)
        {
            // A session whose data a crash never created: nothing to give back.
        }

        TempSweeper.DeleteInBackground(ended);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var directory in Directory.EnumerateDirectories(_layout.UploadsDirectory))
        {
            var id = Path.GetFileName(directory);
            if (FileSystemLayout.IsUploadId(id) && await ReadSessionAsync(id, cancellationToken).ConfigureAwait(false) is { } session)
            {
                yield return session;
            }
        }
    }

    private async ValueTask<UploadSession?> ReadSessionAsync(string id, CancellationToken cancellationToken)
    {
        var json = await AtomicFile.ReadAsync(_layout.UploadInfo(id), cancellationToken).ConfigureAwait(false);
        var data = new FileInfo(_layout.UploadData(id));
        if (json is null || !data.Exists)
        {
            return null;
        }

        var info = TryReadInfo(json);
        return RepositoryName.TryParse(info?.Repository, out var repository) ? new UploadSession(id, repository, info!.StartedAt, data.Length) : null;
    }

    /// <summary>
    /// Takes the session's in-process mark and its exclusive lock file. Gives the lock, or null with
    /// <see cref="UploadWriteStatus.Busy"/> or <see cref="UploadWriteStatus.Unknown"/>.
    /// </summary>
    private (UploadWriteStatus Status, SafeFileHandle? ExclusiveLock) TryLock(string id)
    {
        if (!_sessionsInUse.TryAdd(id, 0))
        {
            return (UploadWriteStatus.Busy, null);
        }

        try
        {
            var exclusiveLock = File.OpenHandle(_layout.UploadLock(id), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return (UploadWriteStatus.Opened, exclusiveLock);
        }
        catch (DirectoryNotFoundException)
        {
            Release(id);
            return (UploadWriteStatus.Unknown, null);
        }
        catch (IOException)
        {
            Release(id);
            return (UploadWriteStatus.Busy, null);
        }
    }

    // Rewrites a reused folder's info.json in place rather than replacing it: a new file per session is an inode created
    // and one deleted, what slows ext4's inode allocation (SpareSessionFolders; 13% of the server's CPU per small image
    // in perf). Written synchronously: a few bytes into the page cache cost less than the hop to another thread an
    // asynchronous write is. The file is padded with spaces (JSON whitespace) to at least its old length and never
    // shortened, so a reader that opened it while the folder's previous session was live (ListAsync for expiry) reads
    // as many bytes as it expected. Whatever it reads then (the new document, or a torn mixture that does not parse)
    // names no live session: the ended session's folder is gone from its path, so ReadSessionAsync finds nothing. The
    // new session's readers find it whole, as it is written before the folder moves into uploads/. A session whose info
    // a crash left empty or torn (it is written without a flush) is treated as unknown.
    private static void WriteInfo(string path, byte[] info)
    {
        using var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        if (info.Length < length)
        {
            var padded = new byte[length];
            info.CopyTo(padded, 0);
            padded.AsSpan(info.Length).Fill((byte)' ');
            info = padded;
        }

        RandomAccess.Write(file, info, 0);
    }

    private static UploadInfoDocument? TryReadInfo(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, FileSystemJsonContext.Default.UploadInfoDocument);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void FlushToDisk(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.FlushToDisk(handle);
    }

    private void Release(string id) => _sessionsInUse.TryRemove(id, out _);

    /// <summary>Renames the session folder into <c>tmp/</c>; returns its new path, or null when there was no session.</summary>
    private string? EndSession(string id)
    {
        var ended = _layout.NewTempPath();
        try
        {
            Directory.Move(_layout.Upload(id), ended);
            return ended;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>How a commit went: its status, the ended session's folder under <c>tmp/</c> (null when none ended), and whether its data moved into the blob store.</summary>
internal readonly record struct CommittedSession(UploadCommitStatus Status, string? Ended, bool Moved);
