using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>What an operator and a cluster watch: JSON logs by configuration, liveness and readiness probes, OTLP export and a Prometheus endpoint.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task JsonConsoleLogs_AreChosenByConfiguration()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage, "--Logging:Console:FormatterName", "json");
        await server.WaitForOutputAsync("Garbage collection:");

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();

        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "OciRegistry.Server"
            && e.GetProperty("Message").GetString()!.StartsWith("Storage: file system at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_FailsWhileStorageIsNotWritable_LivenessDoesNot()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage);
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        using var readyBefore = await client.GetAsync("/readyz");

        // The storage folder is replaced by a file: nothing can be written there (root ignores permissions). It is
        // moved aside in one rename, not deleted file by file, which would race the server's own writes in it.
        Directory.Move(_folder.Storage, _folder.Storage + "-moved");
        await File.WriteAllTextAsync(_folder.Storage, "not a folder");
        using var readyAfter = await client.GetAsync("/readyz");
        using var liveAfter = await client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, readyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveAfter.StatusCode);
    }

    [Fact]
    public async Task Otlp_ExportsThePushsSpansAndMetrics_ToTheConfiguredCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            // Export often, so the test sees the first exports soon (OpenTelemetry's own settings).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, environment, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Telemetry:Otlp:Endpoint", collector.Endpoint, "--OciRegistry:Telemetry:Otlp:Protocol", "http/protobuf");
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        var repository = "otlp/" + Guid.NewGuid().ToString("N");

        await new RegistrySeeder(client).PushImageAsync(repository, "1.0", [RandomNumberGenerator.GetBytes(500)]);

        await collector.WaitForAsync("traces", "OciRegistry", "manifest.put", "blob.push", "upload.commit", repository, "oci-registry");
        await collector.WaitForAsync("metrics", "ociregistry.requests", "manifest.put", "http.server.request.duration", "/v2/{name}/manifests/{reference}");
        Assert.Contains($"Telemetry: OTLP to {collector.Endpoint}", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ServesTheRegistrysAndAspNetCoresMetrics_AtSlashMetrics_WhenEnabled()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Telemetry:Prometheus:Enabled", "true");
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        await new RegistrySeeder(client).PushImageAsync("scraped/app", "1.0", [RandomNumberGenerator.GetBytes(500)]);

        var scrape = await client.GetStringAsync("/metrics");

        Assert.Matches("""ociregistry_requests_total\{[^}]*operation="manifest\.put"[^}]*status="201"[^}]*\} 1""", scrape);
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_request_method="PUT"[^}]*http_route="/v2/\{name\}/manifests/\{reference\}"[^}]*\} 1""", scrape);
    }

    [Fact]
    public async Task WithoutTelemetrySettings_ThereIsNoMetricsEndpoint()
    {
        await using var server = await ServerProcess.StartServingAsync(
            _folder.Path, null, "--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", _folder.Storage);
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        await server.WaitForOutputAsync("Garbage collection:");

        using var scrape = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
        Assert.Contains("Telemetry: no OTLP export, no Prometheus endpoint", server.Output, StringComparison.Ordinal);
    }
}
