using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Observability;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Observability;

/// <summary>The registry's spans and the per-operation routes of ASP.NET Core's request metrics, for real pushes and pulls.</summary>
public sealed class RegistryTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RegistryTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RegistryActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task APushAndAPull_AreSpans_WithRepositoryReferenceAndNesting()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        var repository = "traced/" + Guid.NewGuid().ToString("N");
        var layer = RandomNumberGenerator.GetBytes(2048);

        var image = await registry.Seeder.PushImageAsync(repository, "1.0", [layer]);
        using var manifest = await registry.Client.GetAsync($"v2/{repository}/manifests/1.0");
        using var blob = await registry.Client.GetAsync($"v2/{repository}/blobs/{image.LayerDigests[0]}");
        using var missing = await registry.Client.GetAsync($"v2/{repository}/manifests/2.0");

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var spans = SpansOf(repository);
        Assert.Equal(
            ["blob.push", "blob.push", "manifest.put", "manifest.get", "blob.pull", "manifest.get"],
            spans.Where(s => s.OperationName != "upload.commit").Select(s => s.OperationName));

        // A monolithic push commits its upload inside its own span.
        var pushes = spans.Where(s => s.OperationName == "blob.push").ToList();
        var commits = spans.Where(s => s.OperationName == "upload.commit").ToList();
        Assert.Equal(pushes.Select(p => p.SpanId), commits.Select(c => c.ParentSpanId));
        Assert.Equal(image.LayerDigests[0].ToString(), (string?)pushes[0].GetTagItem("oci.reference"));

        var put = spans.Single(s => s.OperationName == "manifest.put");
        Assert.Equal("1.0", (string?)put.GetTagItem("oci.reference"));
        Assert.Equal(ActivityStatusCode.Unset, put.Status);
        var refused = spans.Last();
        Assert.Equal(("2.0", ActivityStatusCode.Error, "MANIFEST_UNKNOWN"), ((string?)refused.GetTagItem("oci.reference"), refused.Status, (string?)refused.GetTagItem("oci.error.code")));
    }

    [Fact]
    public async Task AChunkedUpload_IsOneCommitSpan_AndACollectionIsASpanWithWhatItFreed()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = s => s.Configure<GarbageCollectionOptions>(gc => gc.GracePeriod = TimeSpan.Zero));
        var repository = "traced/" + Guid.NewGuid().ToString("N");
        var content = RandomNumberGenerator.GetBytes(999);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

        using var start = await registry.Client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{start.Headers.Location}{(start.Headers.Location!.ToString().Contains('?') ? '&' : '?')}digest={digest}")
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        using var committed = await registry.Client.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, committed.StatusCode);

        using var test = new Activity("collect").Start();
        var report = await registry.Services.GetRequiredService<GarbageCollector>().CollectAsync();

        var commit = Assert.Single(SpansOf(repository));
        Assert.Equal(("upload.commit", digest), (commit.OperationName, (string?)commit.GetTagItem("oci.reference")));
        var gc = Assert.Single(_stopped, s => s.OperationName == "gc" && s.TraceId == test.TraceId);
        Assert.Equal(999L, report.BytesFreed);
        Assert.Equal((false, 1, 999L), ((bool)gc.GetTagItem("oci.gc.dry_run")!, (int)gc.GetTagItem("oci.gc.blobs_deleted")!, (long)gc.GetTagItem("oci.gc.bytes_freed")!));
    }

    [Fact]
    public async Task AspNetCoreRequestMetrics_NameEachRegistryEndpointsRoute()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        using var durations = new MetricCollector<double>(
            registry.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.request.duration");
        var repository = "routed/" + Guid.NewGuid().ToString("N");

        var image = await registry.Seeder.PushImageAsync(repository, "1.0", [RandomNumberGenerator.GetBytes(100)]);
        (await registry.Client.GetAsync($"v2/{repository}/manifests/1.0")).Dispose();
        (await registry.Client.GetAsync($"v2/{repository}/blobs/{image.LayerDigests[0]}")).Dispose();
        (await registry.Client.GetAsync($"v2/{repository}/tags/list")).Dispose();
        (await registry.Client.GetAsync("v2/")).Dispose();

        // The server records a request's duration once the request is over, which may be after its response reached
        // the client; requests on one connection end in order, so the last one's measurement comes last.
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var measured = durations.GetMeasurementSnapshot();
        while (!measured.Any(m => $"{m.Tags["http.route"]}" == "/v2/"))
        {
            await durations.WaitForMeasurementsAsync(measured.Count + 1, hangGuard.Token);
            measured = durations.GetMeasurementSnapshot();
        }

        var routes = measured
            .Select(m => ($"{m.Tags["http.request.method"]}", $"{m.Tags["http.route"]}"))
            .Distinct()
            .ToList();
        Assert.Equal(
            [
                ("POST", "/v2/{name}/blobs/uploads/"),
                ("PUT", "/v2/{name}/manifests/{reference}"),
                ("GET", "/v2/{name}/manifests/{reference}"),
                ("GET", "/v2/{name}/blobs/{digest}"),
                ("GET", "/v2/{name}/tags/list"),
                ("GET", "/v2/"),
            ],
            routes);
    }

    private List<Activity> SpansOf(string repository) =>
        _stopped.Where(s => (string?)s.GetTagItem("oci.repository") == repository).OrderBy(s => s.StartTimeUtc).ToList();
}
