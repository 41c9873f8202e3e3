using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// A blob file renamed out of <c>blobs/</c> into <c>tmp/removing.&lt;alg&gt;.&lt;hex&gt;.&lt;guid&gt;</c>: out of sight,
/// not destroyed. A removal a crash interrupted is undone when the store next opens (<see cref="RestoreInterrupted"/>),
/// so a crash can only keep a blob, never lose one; the next collection decides again.
/// </summary>
internal sealed class FileBlobRemoval(string hiddenPath, string blobPath) : IBlobRemoval
{
    private const string Prefix = "removing.";

    /// <summary>Hides the blob; null when it is not stored.</summary>
    public static FileBlobRemoval? Begin(FileSystemLayout layout, Digest digest)
    {
        var blobPath = layout.Blob(digest);
        var hiddenPath = Path.Combine(
            layout.TempDirectory, $"{Prefix}{digest.Algorithm.Name()}.{digest.EncodedString}.{Guid.NewGuid():N}");
        try
        {
            File.Move(blobPath, hiddenPath);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return new FileBlobRemoval(hiddenPath, blobPath);
    }

    /// <summary>Puts back every blob whose removal a crash left unfinished in <c>tmp/</c>; returns how many.</summary>
    public static int RestoreInterrupted(FileSystemLayout layout)
    {
        var restored = 0;
        foreach (var hidden in Directory.EnumerateFiles(layout.TempDirectory, Prefix + "*"))
        {
            var parts = Path.GetFileName(hidden).Split('.');
            if (parts.Length == 4 && Digest.TryParse($"{parts[1]}:{parts[2]}", out var digest) == DigestParseStatus.Valid)
            {
                AtomicFile.MoveIntoPlace(hidden, layout.Blob(digest));
                restored++;
            }
        }

        return restored;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        File.Delete(hiddenPath);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UndoAsync(CancellationToken cancellationToken = default)
    {
        AtomicFile.MoveIntoPlace(hiddenPath, blobPath);
        return ValueTask.CompletedTask;
    }
}
