using Azure.Storage.Blobs;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Blobs and uploads in one Azurite container and no storage folder at all: with PostgreSQL metadata nothing of the
/// registry is on a local disk, so neither serving nor a maintenance command needs one.
/// </summary>
internal sealed class AzuriteContainerStorage(AzuriteServer azurite) : InstanceStorage
{
    private readonly BlobContainerClient _container = azurite.CreateContainer();

    public override string[] SettingsFor(string processFolder) =>
    [
        "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
        "--OciRegistry:Storage:AzureBlob:Container", _container.Name,
    ];

    // The Azure store names a blob "blobs/<digest>".
    public override async Task<bool> HoldsBlobAsync(string digest) => await _container.GetBlobClient($"blobs/{digest}").ExistsAsync();

    public override async ValueTask DisposeAsync() => await _container.DeleteAsync();
}
