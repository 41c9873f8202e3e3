using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>A fresh folder under the system temp path for one test, deleted on dispose.</summary>
public sealed class TemporaryRoot : IDisposable
{
    public TemporaryRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ociregistry-storage-tests", Guid.NewGuid().ToString("N"), "root");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public FileSystemStorageOptions Options => new() { RootPath = Path };

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
