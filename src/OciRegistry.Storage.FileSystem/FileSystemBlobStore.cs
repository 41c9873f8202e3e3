using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// An <see cref="IBlobStore"/> keeping each blob as one file under <c>blobs/</c> of <see cref="FileSystemStorageOptions.RootPath"/>.
/// </summary>
/// <remarks>
/// A blob appears atomically: its bytes are written to a temp file on the same file system, flushed to disk, and
/// renamed into place without overwriting. When two writers (threads or processes) race on the same digest, one
/// rename wins and the other's temp file is deleted — content addressing makes the winner's bytes right.
/// <see cref="BlobEntry.CommittedAt"/> is the file's last write time.
/// </remarks>
public sealed class FileSystemBlobStore : IBlobStore
{
    /// <summary>
    /// Opens (creating when missing) the store under <paramref name="options"/>' root, and removes what a crash left in
    /// its <c>tmp/</c> folder more than an hour ago.
    /// </summary>
    public FileSystemBlobStore(FileSystemStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Layout = new FileSystemLayout(options.RootPath);
        TempSweeper.Sweep(Layout.TempDirectory, DateTimeOffset.UtcNow);
    }

    internal FileSystemLayout Layout { get; }

    /// <inheritdoc />
    public ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(Layout.Blob(digest));
        return ValueTask.FromResult(file.Exists ? file.Length : (long?)null);
    }

    /// <inheritdoc />
    public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IBlobContent?>(FileBlobContent.TryOpen(Layout.Blob(digest)));

    /// <inheritdoc />
    public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = Layout.Blob(digest);
        if (!File.Exists(target))
        {
            AtomicFile.Create(Layout, target, content.Span);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(AtomicFile.Delete(Layout, Layout.Blob(digest)));

    /// <inheritdoc />
    /// <remarks>Files whose names do not form a digest (nothing this store writes) are skipped.</remarks>
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var algorithmDirectory in Directory.EnumerateDirectories(Layout.BlobsDirectory))
        {
            var algorithm = Path.GetFileName(algorithmDirectory);
            foreach (var file in Directory.EnumerateFiles(algorithmDirectory, "*", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Digest.TryParse($"{algorithm}:{Path.GetFileName(file)}", out var digest) != DigestParseStatus.Valid)
                {
                    continue;
                }

                var info = new FileInfo(file);
                if (info.Exists)
                {
                    yield return new BlobEntry(digest, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
                }
            }
        }
    }

    /// <summary>The stored blob's length, or null when it is not stored.</summary>
    internal long? SizeOf(Digest digest) => new FileInfo(Layout.Blob(digest)) is { Exists: true } file ? file.Length : null;

    /// <summary>Moves a finished upload's file over a stored copy of <paramref name="digest"/> that is not its content.</summary>
    internal bool Replace(string sourcePath, Digest digest) => AtomicFile.Replace(sourcePath, Layout.Blob(digest));

    /// <summary>
    /// Moves a finished upload's file into place as <paramref name="digest"/>; false, leaving the file where it is,
    /// when the blob exists.
    /// </summary>
    internal bool TryCommit(string sourcePath, Digest digest) => AtomicFile.TryMoveIntoPlace(sourcePath, Layout.Blob(digest));
}
