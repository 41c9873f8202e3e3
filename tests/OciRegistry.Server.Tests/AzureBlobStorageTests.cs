using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in Azure Blob Storage (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStorageTests(AzuriteServer azurite) : ObjectStorageServerTests
{
    // Under the store's 8 MiB blocks, so a block spans PATCHes.
    protected override int ChunkBytes => 4 * 1024 * 1024;

    [Fact]
    public async Task AnIncompleteAzureSetting_IsOneLine_NamingTheKey()
    {
        var run = await ServerProcess.RunAsync(
            Folder.Path, null, "--OciRegistry:Storage:AzureBlob:ConnectionString", "not a connection string");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("OciRegistry:Storage:AzureBlob:Container is not set", run.Error, StringComparison.Ordinal);
        Assert.Contains("OciRegistry:Storage:AzureBlob:ConnectionString is not an Azure Storage connection string", run.Error, StringComparison.Ordinal);
    }

    protected override Task<string> CreateStoreAsync() => Task.FromResult(azurite.CreateContainer().Name);

    protected override string[] ServeArguments(string store) =>
    [
        "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", Folder.Storage,
        "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
        "--OciRegistry:Storage:AzureBlob:Container", store,
    ];

    protected override string StorageLine(string store) => $"Azure Blob container '{store}'";

    protected override async Task<long> StoredLengthAsync(string store, string name) =>
        (await Container(store).GetBlobClient(name).GetPropertiesAsync()).Value.ContentLength;

    protected override async Task<IReadOnlyList<string>> ListAsync(string store, string prefix) =>
        await Container(store).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }).Select(b => b.Name).ToListAsync();

    private BlobContainerClient Container(string name) => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name);
}
