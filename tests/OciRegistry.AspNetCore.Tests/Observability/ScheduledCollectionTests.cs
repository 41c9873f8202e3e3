using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Observability;

public sealed class ScheduledCollectionTests
{
    [Fact]
    public async Task BackgroundService_CollectsOnItsInterval_WhileTheRegistryServes()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = s => s.Configure<GarbageCollectionOptions>(gc =>
        {
            gc.Interval = TimeSpan.FromMilliseconds(50);
            gc.GracePeriod = TimeSpan.Zero;
        }));
        var blob = RandomNumberGenerator.GetBytes(100);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        Assert.Equal(HttpStatusCode.Created, (await registry.Client.PostAsync($"v2/app/blobs/uploads/?digest={digest}", new ByteArrayContent(blob))).StatusCode);
        var blobs = registry.Services.GetRequiredService<IBlobStore>();

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await blobs.GetSizeAsync(Digest.Parse(digest)) is not null)
        {
            await Task.Delay(20, patience.Token);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await registry.Client.GetAsync($"v2/app/blobs/{digest}")).StatusCode);
    }
}
