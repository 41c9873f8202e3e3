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
///   repositories/&lt;name&gt;/                     name may be nested: a/b/c
///     _blobs/&lt;alg&gt;/&lt;hex&gt;                   empty file: blob linked
///     _manifests/&lt;alg&gt;/&lt;hex&gt;               JSON record: mediaType, size, subject, artifactType, annotations
///     _tags/&lt;tag&gt;                           the digest text the tag points at
///     _referrers/&lt;alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;/&lt;hex&gt;   empty file: manifest hex refers to subject
///   tmp/                                     temp files and folders, renamed into place (same file system);
///                                            entries older than an hour are crash leftovers, removed when the store opens
///   spare/&lt;guid&gt;/                            folders of committed sessions (info.json, lock) kept for new sessions
/// </code>
/// Repository-internal folders start with <c>_</c>, which no component of a valid repository name can, so a nested
/// repository never collides with them. A folder under <c>repositories/</c> is a repository while one of its
/// <c>_blobs</c>, <c>_manifests</c> or <c>_tags</c> folders holds a file.
/// </remarks>
internal sealed class FileSystemLayout
{
    private const string RepositoryBlobs = "_blobs";
    private const string RepositoryManifests = "_manifests";
    private const string RepositoryTags = "_tags";
    private const string RepositoryReferrers = "_referrers";

    /// <summary>Resolves <paramref name="rootPath"/> and creates the top-level folders.</summary>
    public FileSystemLayout(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        BlobsDirectory = Path.Combine(Root, "blobs");
        UploadsDirectory = Path.Combine(Root, "uploads");
        RepositoriesDirectory = Path.Combine(Root, "repositories");
        TempDirectory = Path.Combine(Root, "tmp");
        SpareDirectory = Path.Combine(Root, "spare");
        foreach (var directory in (ReadOnlySpan<string>)[BlobsDirectory, UploadsDirectory, RepositoriesDirectory, TempDirectory, SpareDirectory])
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The full path of the root folder, without a trailing separator.</summary>
    public string Root { get; }

    public string BlobsDirectory { get; }

    public string UploadsDirectory { get; }

    public string RepositoriesDirectory { get; }

    public string TempDirectory { get; }

    /// <summary>Folders of ended upload sessions kept for new sessions to reuse (see <see cref="SpareSessionFolders"/>).</summary>
    public string SpareDirectory { get; }

    /// <summary>The names of a repository's folders that mark it as existing.</summary>
    public static IReadOnlyList<string> RepositoryMarkers { get; } = [RepositoryBlobs, RepositoryManifests, RepositoryTags];

    /// <summary>True for a folder name that belongs to a repository's own data rather than a nested repository.</summary>
    public static bool IsInternalName(string folderName) => folderName.StartsWith('_');

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

    public string UploadData(string id) => Path.Combine(Upload(id), "data");

    public string UploadInfo(string id) => Path.Combine(Upload(id), "info.json");

    public string UploadLock(string id) => Path.Combine(Upload(id), "lock");

    public string Repository(string name) => EnsureUnder(RepositoriesDirectory, Path.Combine(RepositoriesDirectory, name));

    public string BlobLinksDirectory(string repository) => Path.Combine(Repository(repository), RepositoryBlobs);

    public string BlobLink(string repository, Digest digest) => DigestPath(BlobLinksDirectory(repository), digest);

    public string ManifestsDirectory(string repository) => Path.Combine(Repository(repository), RepositoryManifests);

    public string Manifest(string repository, Digest digest) => DigestPath(ManifestsDirectory(repository), digest);

    public string TagsDirectory(string repository) => Path.Combine(Repository(repository), RepositoryTags);

    public string Tag(string repository, string tag)
    {
        var tags = TagsDirectory(repository);
        return EnsureUnder(tags, Path.Combine(tags, tag));
    }

    public string ReferrersDirectory(string repository, Digest subject) =>
        DigestPath(Path.Combine(Repository(repository), RepositoryReferrers), subject);

    public string ReferrerLink(string repository, Digest subject, Digest referrer) =>
        DigestPath(ReferrersDirectory(repository, subject), referrer);

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

    private static string DigestPath(string directory, Digest digest) =>
        EnsureUnder(directory, Path.Combine(directory, digest.Algorithm.Name(), digest.EncodedString));
}
