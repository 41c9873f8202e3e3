using System.Net;
using System.Text.Json;

namespace OciRegistry.Server.Tests;

/// <summary>What an operator and a cluster watch: JSON logs by configuration, liveness and readiness probes.</summary>
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

        // The storage folder is replaced by a file: nothing can be written there (root ignores permissions).
        Directory.Delete(_folder.Storage, recursive: true);
        await File.WriteAllTextAsync(_folder.Storage, "not a folder");
        using var readyAfter = await client.GetAsync("/readyz");
        using var liveAfter = await client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, readyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveAfter.StatusCode);
    }
}
