using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OciRegistry.Storage.Tests.AzureBlob;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The pull-through mirror with its blobs and uploads in Azure Blob Storage (Azurite): concurrent clients of a cold blob
/// share one upstream fetch, and the fill is then stored as a committed blob with no upload session left behind.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MirrorOnAzureBlobTests(AzuriteServer azurite) : IDisposable
{
    // Large enough for the fill to be stored in several blocks.
    private const int LayerBytes = 40 * 1024 * 1024;
    private const int Clients = 4;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ConcurrentColdPulls_ShareOneUpstreamFetch_AndLeaveTheBlobCommittedInTheContainer()
    {
        var fetches = 0;
        await using var upstream = await InProcessRegistry.StartAsync(o => o.App = app => app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref fetches);
            }

            await next(context);
        }));
        var layer = RandomNumberGenerator.GetBytes(LayerBytes);
        var digest = await upstream.Seeder.PushBlobAsync("team/app", layer);
        var container = azurite.CreateContainer();
        await using var mirror = await ServerProcess.StartServingAsync(_folder.Path, null,
        [
            "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Storage:AzureBlob:ConnectionString", azurite.ConnectionString,
            "--OciRegistry:Storage:AzureBlob:Container", container.Name,
            "--OciRegistry:Mirror:Upstreams:0:Name", "up", "--OciRegistry:Mirror:Upstreams:0:Url", upstream.BaseAddress.ToString(),
        ]);
        using var client = new HttpClient { BaseAddress = new Uri(mirror.Addresses.Single()), Timeout = TimeSpan.FromMinutes(3) };

        var pulled = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}")));

        // The clients get their last byte once the download hashed to the digest; the fill is stored from its spool after.
        var stored = container.GetBlobClient($"blobs/{digest}");
        using (var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!await stored.ExistsAsync(hangGuard.Token))
            {
                await Task.Delay(100, hangGuard.Token);
            }
        }

        Assert.All(pulled, bytes => Assert.Equal(layer, bytes));
        Assert.Equal(1, fetches);
        Assert.Equal(LayerBytes, (await stored.GetPropertiesAsync()).Value.ContentLength);
        Assert.Empty(await container.GetBlobsAsync(new GetBlobsOptions { Prefix = "uploads/" }).ToListAsync());
    }
}
