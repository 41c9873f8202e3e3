namespace OciRegistry.Storage.FileSystem;

/// <summary>Where the file-system stores keep their data.</summary>
public sealed class FileSystemStorageOptions
{
    /// <summary>
    /// The folder holding blobs, uploads and repository metadata (see <c>LAYOUT.md</c>); created when missing.
    /// Relative paths are resolved against the current directory. Required.
    /// </summary>
    public string RootPath { get; set; } = string.Empty;
}
