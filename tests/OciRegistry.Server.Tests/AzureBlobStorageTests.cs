using System.Net;
using System.Security.Cryptography;
using OciRegistry.Storage.Tests.AzureBlob;

namespace OciRegistry.Server.Tests;

/// <summary>The server with its blobs and uploads in Azure Blob Storage (Azurite): pushes, pulls, redirects, readiness.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStorageTests(AzuriteServer azurite) : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ABlobPushedInChunks_IsStoredInTheContainer_AndPulledBack_ByRedirectToo()
    {
        var container = azurite.CreateContainer();
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
            "--OciRegistry:Storage:AzureBlob:Container", container.Name,
            "--OciRegistry:BlobRedirectLifetime", "00:05:00");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Addresses.Single()) };
        var content = RandomNumberGenerator.GetBytes(9 * 1024 * 1024 + 5);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

        var location = await ChunkedPush.PushAsync(client, "team/app", content, chunkBytes: 4 * 1024 * 1024, digest);

        Assert.Equal($"/v2/team/app/blobs/{digest}", location);
        Assert.Contains($"Storage: Azure Blob container '{container.Name}'", server.Output, StringComparison.Ordinal);
        Assert.True((await container.GetBlobClient("blobs/" + digest).ExistsAsync()).Value);
        Assert.Empty(container.GetBlobs(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "uploads/" }));
        using var redirect = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        using var store = new HttpClient();
        Assert.Equal(content, await store.GetByteArrayAsync(redirect.Headers.Location));
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_Fails_WhileTheContainerIsMissing()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
            "--OciRegistry:Storage:AzureBlob:Container", "missing-" + Guid.NewGuid().ToString("N"));
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task AnIncompleteAzureSetting_IsOneLine_NamingTheKey()
    {
        var run = await ServerProcess.RunAsync(
            _folder.Path, null, "--OciRegistry:Storage:AzureBlob:ConnectionString", "not a connection string");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("OciRegistry:Storage:AzureBlob:Container is not set", run.Error, StringComparison.Ordinal);
        Assert.Contains("OciRegistry:Storage:AzureBlob:ConnectionString is not an Azure Storage connection string", run.Error, StringComparison.Ordinal);
    }
}
