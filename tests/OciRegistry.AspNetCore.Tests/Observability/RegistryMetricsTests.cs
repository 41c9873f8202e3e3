using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Observability;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Observability;

public sealed class RegistryMetricsTests
{
    [Fact]
    public async Task Records_RequestsByOperationAndStatus_BytesAndUploads()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        using var recorder = new MetricsRecorder(registry.Services.GetRequiredService<RegistryMetrics>().Meter);
        var blob = RandomNumberGenerator.GetBytes(1000);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));

        var start = await registry.Client.PostAsync("v2/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var put = new HttpRequestMessage(HttpMethod.Put, $"{start.Headers.Location}{(start.Headers.Location!.ToString().Contains('?') ? '&' : '?')}digest={digest}")
        {
            Content = new ByteArrayContent(blob) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        Assert.Equal(HttpStatusCode.Created, (await registry.Client.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await registry.Client.GetAsync($"v2/app/blobs/{digest}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await registry.Client.GetAsync("v2/app/manifests/missing")).StatusCode);

        var requests = recorder.Of("ociregistry.requests").Select(m => ($"{m.Tags["operation"]}", (int)m.Tags["status"]!)).ToList();
        Assert.Equal([("upload.start", 202), ("upload.put", 201), ("blob.get", 200), ("manifest.get", 404)], requests);
        Assert.Equal(1000, recorder.Of("ociregistry.bytes.received").Sum(m => m.Value));
        Assert.Equal(1000, recorder.Of("ociregistry.bytes.sent").Where(m => $"{m.Tags["operation"]}" == "blob.get").Sum(m => m.Value));
        Assert.Equal(0, recorder.Of("ociregistry.uploads.active").Sum(m => m.Value));
        Assert.Equal([1.0, -1.0], recorder.Of("ociregistry.uploads.active").Select(m => m.Value));
        Assert.Single(recorder.Of("ociregistry.upload.duration"));
    }

    [Fact]
    public async Task Records_GarbageCollectionRunsAndBytesFreed()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = s => s.Configure<GarbageCollectionOptions>(gc => gc.GracePeriod = TimeSpan.Zero));
        using var recorder = new MetricsRecorder(registry.Services.GetRequiredService<RegistryMetrics>().Meter);
        var blob = RandomNumberGenerator.GetBytes(777);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var push = await registry.Client.PostAsync($"v2/app/blobs/uploads/?digest={digest}", new ByteArrayContent(blob));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        var collector = registry.Services.GetRequiredService<GarbageCollector>();

        await collector.CollectAsync(dryRun: true);
        var report = await collector.CollectAsync();

        Assert.Equal(777, report.BytesFreed);
        Assert.Equal([true, false], recorder.Of("ociregistry.gc.runs").Select(m => (bool)m.Tags["dry_run"]!));
        Assert.Equal(777, recorder.Of("ociregistry.gc.bytes_freed").Sum(m => m.Value));
    }
}
