using BenchmarkDotNet.Attributes;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Testing;

/// <summary>
/// What a test pays for its own registry once the process is warm: <see cref="InProcessRegistry.StartAsync"/>, the
/// first <c>GET /v2/</c> answered 200, and the dispose that stops it, over each transport. Targets: in memory ≤ 2 ms,
/// Kestrel ≤ 10 ms. The first start in a fresh process is timed by benchmarks/fixture-startup/run.sh; figures for
/// both in benchmarks/RESULTS.md.
/// </summary>
[MemoryDiagnoser]
public class StartupBenchmarks
{
    /// <summary>Kestrel on a loopback socket, or TestServer in memory.</summary>
    [Params(RegistryTransport.Kestrel, RegistryTransport.InMemory)]
    public RegistryTransport Transport { get; set; }

    /// <summary>Start a registry, get the first 200 from it, stop it.</summary>
    [Benchmark]
    public async Task StartToFirst200()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Transport = Transport);
        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The same with the registry's data in a temporary folder, created and deleted each time.</summary>
    [Benchmark]
    public async Task StartToFirst200_FileSystem()
    {
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Transport = Transport;
            o.UseFileSystem = true;
        });
        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }
}
