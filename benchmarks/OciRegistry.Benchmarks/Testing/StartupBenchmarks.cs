using BenchmarkDotNet.Attributes;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Testing;

/// <summary>
/// What a test pays for its own registry: <see cref="InProcessRegistry.StartAsync"/>, the first <c>GET /v2/</c>
/// answered 200, and the dispose that stops it. Target: under 50 ms warm. Measured (--job short, 2-core EPYC shared
/// with other builds): 8.6 ms and 402 KB in memory, 17.2 ms and 421 KB with a file-system folder.
/// </summary>
[MemoryDiagnoser]
public class StartupBenchmarks
{
    /// <summary>Start a registry, get the first 200 from it, stop it.</summary>
    [Benchmark]
    public async Task StartToFirst200()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The same with the registry's data in a temporary folder, created and deleted each time.</summary>
    [Benchmark]
    public async Task StartToFirst200_FileSystem()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }
}
