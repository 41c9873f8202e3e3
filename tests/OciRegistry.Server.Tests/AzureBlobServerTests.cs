using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in Azure Blob Storage (Azurite), with the settings each case adds.</summary>
public abstract class AzureBlobServerTests(AzuriteServer azurite) : ObjectStorageServerTests
{
    // Under the store's 8 MiB blocks, so a block spans PATCHes.
    protected override int ChunkBytes => 4 * 1024 * 1024;

    /// <summary>The emulator the server stores in.</summary>
    private protected AzuriteServer Azurite => azurite;

    /// <summary>Settings beyond the connection string and the container.</summary>
    protected virtual string[] MoreSettings => [];

    protected override Task<string> CreateStoreAsync() => Task.FromResult(azurite.CreateContainer().Name);

    protected override string[] ServeArguments(string store) =>
    [
        "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", Folder.Storage,
        "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
        "--OciRegistry:Storage:AzureBlob:Container", store,
        .. MoreSettings,
    ];

    protected override string StorageLine(string store) => $"Azure Blob container '{store}'";

    protected override async Task<long> StoredLengthAsync(string store, string name) =>
        (await Container(store).GetBlobClient(name).GetPropertiesAsync()).Value.ContentLength;

    protected override async Task<IReadOnlyList<string>> ListAsync(string store, string prefix) =>
        await Container(store).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }).Select(b => b.Name).ToListAsync();

    private BlobContainerClient Container(string name) => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name);
}
