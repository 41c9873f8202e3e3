using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>A fresh folder for one test, deleted on dispose: under the system temp path unless another parent is given.</summary>
public sealed class TemporaryRoot : IDisposable
{
    public TemporaryRoot(string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "ociregistry-storage-tests", Guid.NewGuid().ToString("N"), "root");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public FileSystemStorageOptions Options => new() { RootPath = Path };

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
