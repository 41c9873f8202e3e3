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

    /// <summary>
    /// Asserts that the store's <c>tmp/</c> folder empties: ended upload sessions are deleted in the background, so
    /// this waits for them (up to 30 s).
    /// </summary>
    public async Task AssertTmpEmptiesAsync()
    {
        var tmp = System.IO.Path.Combine(Path, "tmp");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.EnumerateFileSystemEntries(tmp).Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
    }

    public void Dispose() => OciRegistry.Tests.TestFolders.Delete(System.IO.Path.GetDirectoryName(Path)!);
}
