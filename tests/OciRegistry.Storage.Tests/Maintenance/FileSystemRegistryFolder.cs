using OciRegistry.Core.Digests;
using OciRegistry.Core.Tests.Maintenance;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Storage.Tests.Maintenance;

/// <summary>File-system stores in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class FileSystemRegistryFolder : IDisposable
{
    public FileSystemRegistryFolder()
    {
        Root = Directory.CreateTempSubdirectory("oci-maintenance-").FullName;
        var options = new FileSystemStorageOptions { RootPath = Root };
        var blobs = new FileSystemBlobStore(options);
        Registry = new MaintenanceRegistry(blobs, new FileSystemUploadStore(blobs), new SqliteMetadataStore(Path.Combine(Root, "metadata.db")), TimeProvider.System);
    }

    public string Root { get; }

    public MaintenanceRegistry Registry { get; }

    /// <summary>Where the blob store keeps <paramref name="digest"/>'s bytes (blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;).</summary>
    public string BlobFile(Digest digest)
    {
        var hex = digest.EncodedString;
        return Path.Combine(Root, "blobs", "sha256", hex[..2], hex);
    }

    public void Dispose() => OciRegistry.Tests.TestFolders.Delete(Root);
}
