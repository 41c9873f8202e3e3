using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// Blob downloads over real HTTP from an in-process file-system registry: the whole blob, and 1 MiB ranges at
/// random offsets. The raw-socket client drains each response into one reused buffer and allocates nothing per byte,
/// so the allocation column shows the server's per-request cost, which must not grow with the blob.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BlobGetBenchmarks
{
    private const int RangesPerOperation = 64;

    private readonly Random _random = new(42);
    private InProcessRegistry _registry = null!;
    private RawHttpClient _client = null!;
    private string _blobPath = "";

    /// <summary>The blob's size in MiB.</summary>
    [Params(64, 1024)]
    public int BlobMiB { get; set; }

    private long Length => (long)BlobMiB * BenchmarkBlobs.MiB;

    /// <summary>Starts the registry and pushes the blob once.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        _client = new RawHttpClient(_registry.BaseAddress);
        var digest = BenchmarkBlobs.DigestOf(Length);
        await BenchmarkBlobs.PushMonolithicAsync(_client, "bench/get", Length, digest);
        _blobPath = $"/v2/bench/get/blobs/{digest}";
    }

    /// <summary>Stops the registry and deletes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    /// <summary>GET of the whole blob.</summary>
    [Benchmark]
    public async Task<long> FullGet()
    {
        var (status, _, length) = await _client.SendAsync("GET", _blobPath);
        return status == 200 ? length : throw new InvalidOperationException($"GET: {status}");
    }

    /// <summary>64 GETs of 1 MiB each at random MiB-aligned offsets, one after another.</summary>
    [Benchmark(OperationsPerInvoke = RangesPerOperation)]
    public async Task<long> RangedGet1MiB()
    {
        long total = 0;
        for (var i = 0; i < RangesPerOperation; i++)
        {
            var start = (long)_random.Next(BlobMiB) * BenchmarkBlobs.MiB;
            var (status, _, length) = await _client.SendAsync("GET", _blobPath, range: (start, BenchmarkBlobs.MiB));
            total += status == 206 ? length : throw new InvalidOperationException($"ranged GET: {status}");
        }

        return total;
    }
}
