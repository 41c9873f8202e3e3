using Azure.Storage.Blobs;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Blobs and uploads in one Azurite container; each process gets a folder of its own (no disk is shared), which with
/// PostgreSQL metadata it never writes to.
/// </summary>
internal sealed class AzuriteContainerStorage(AzuriteServer azurite) : InstanceStorage
{
    private readonly BlobContainerClient _container = azurite.CreateContainer();

    public override string[] SettingsFor(string processFolder)
    {
        var own = Directory.CreateDirectory(Path.Combine(processFolder, "data")).FullName;
        return
        [
            "--OciRegistry:Storage:RootPath", own,
            "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
            "--OciRegistry:Storage:AzureBlob:Container", _container.Name,
        ];
    }

    // The Azure store names a blob "blobs/<digest>".
    public override async Task<bool> HoldsBlobAsync(string digest) => await _container.GetBlobClient($"blobs/{digest}").ExistsAsync();

    public override async ValueTask DisposeAsync() => await _container.DeleteAsync();
}
