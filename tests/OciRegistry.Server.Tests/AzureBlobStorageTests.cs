using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in Azure Blob Storage (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStorageTests(AzuriteServer azurite) : AzureBlobServerTests(azurite)
{
    [Fact]
    public async Task AnIncompleteAzureSetting_IsOneLine_NamingTheKey()
    {
        var run = await ServerProcess.RunAsync(
            Folder.Path, null, "--OciRegistry:Storage:AzureBlob:ConnectionString", "not a connection string");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("OciRegistry:Storage:AzureBlob:Container is not set", run.Error, StringComparison.Ordinal);
        Assert.Contains("OciRegistry:Storage:AzureBlob:ConnectionString is not an Azure Storage connection string", run.Error, StringComparison.Ordinal);
    }
}
