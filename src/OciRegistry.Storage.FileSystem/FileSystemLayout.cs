using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Every path the file-system stores use, computed in one place; each is checked to stay under the folder its
/// name, tag, id or digest was combined with, hence under the root.
/// </summary>
/// <remarks>
/// <code>
/// &lt;root&gt;/
///   blobs/&lt;alg&gt;/&lt;hex[0..2]&gt;/&lt;hex&gt;           blob bytes; appears atomically, never rewritten
///   uploads/&lt;id&gt;/data                        bytes written so far (id: 32 lowercase hex)
///   uploads/&lt;id&gt;/info.json                   {"repository":…,"startedAt":…}
///   uploads/&lt;id&gt;/lock                        held exclusively (flock) by the one open writer
///   metadata.db (+ -wal, -shm)               SQLite: blob links, manifests, tags, referrers (SqliteMetadataStore)
///   tmp/                                     temp files and folders, renamed into place (same file system);
///                                            entries older than an hour are crash leftovers, removed when the store opens
///   spare/&lt;guid&gt;/                            folders of committed sessions (info.json, lock, an empty data) kept for new sessions
/// </code>
/// </remarks>
internal sealed class FileSystemLayout
{
    /// <summary>The name of a session folder's data file.</summary>
    public const string DataFileName = "data";

    /// <summary>Resolves <paramref name="rootPath"/> and creates the top-level folders.</summary>
    public FileSystemLayout(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        BlobsDirectory = Path.Combine(Root, "blobs");
        UploadsDirectory = Path.Combine(Root, "uploads");
        MetadataDatabase = Path.Combine(Root, "metadata.db");
        TempDirectory = Path.Combine(Root, "tmp");
        SpareDirectory = Path.Combine(Root, "spare");
        foreach (var directory in (ReadOnlySpan<string>)[BlobsDirectory, UploadsDirectory, TempDirectory, SpareDirectory])
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The full path of the root folder, without a trailing separator.</summary>
    public string Root { get; }

    public string BlobsDirectory { get; }

    public string UploadsDirectory { get; }

    /// <summary>The SQLite database of the metadata.</summary>
    public string MetadataDatabase { get; }

    public string TempDirectory { get; }

    /// <summary>Folders of ended upload sessions kept for new sessions to reuse (see <see cref="SpareSessionFolders"/>).</summary>
    public string SpareDirectory { get; }

    /// <summary>True when <paramref name="id"/> has the form of a session id: 32 lowercase hex characters.</summary>
    public static bool IsUploadId(string id) =>
        id.Length == 32 && id.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>A fresh, unused path in <see cref="TempDirectory"/>.</summary>
    public string NewTempPath() => Path.Combine(TempDirectory, Guid.NewGuid().ToString("N"));

    public string Blob(Digest digest)
    {
        var hex = digest.EncodedString;
        return EnsureUnder(BlobsDirectory, Path.Combine(BlobsDirectory, digest.Algorithm.Name(), hex[..2], hex));
    }

    public string Upload(string id) => EnsureUnder(UploadsDirectory, Path.Combine(UploadsDirectory, id));

    public string UploadData(string id) => Path.Combine(Upload(id), DataFileName);

    public string UploadInfo(string id) => Path.Combine(Upload(id), "info.json");

    public string UploadLock(string id) => Path.Combine(Upload(id), "lock");

    /// <summary>
    /// Returns the full form of <paramref name="path"/> when it lies strictly under <paramref name="directory"/>
    /// (a full path under the root: the folder a name, tag, id or digest was combined with).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The path resolves outside that folder.</exception>
    public static string EnsureUnder(string directory, string path)
    {
        var fullPath = Path.GetFullPath(path);
        return fullPath.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? fullPath
            : throw new UnauthorizedAccessException($"'{path}' resolves outside '{directory}'.");
    }
}
