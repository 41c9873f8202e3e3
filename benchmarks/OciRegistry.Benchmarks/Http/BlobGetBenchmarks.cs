using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// Blob downloads over real HTTP from an in-process file-system registry: the whole blob, and 1 MiB ranges at
/// random offsets. The client drains each response into one reused buffer, so the allocation column shows the
/// server's per-request cost, which must not grow with the blob.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BlobGetBenchmarks
{
    private const int RangesPerOperation = 64;

    private readonly byte[] _drain = new byte[BenchmarkBlobs.MiB];
    private readonly Random _random = new(42);
    private InProcessRegistry _registry = null!;
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
        var digest = BenchmarkBlobs.DigestOf(Length);
        await BenchmarkBlobs.PushMonolithicAsync(_registry.Client, "bench/get", Length, digest);
        _blobPath = $"v2/bench/get/blobs/{digest}";
    }

    /// <summary>Stops the registry and deletes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync() => await _registry.DisposeAsync();

    /// <summary>GET of the whole blob.</summary>
    [Benchmark]
    public async Task<long> FullGet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _blobPath);
        return await DrainAsync(request, HttpStatusCode.OK);
    }

    /// <summary>64 GETs of 1 MiB each at random MiB-aligned offsets, one after another.</summary>
    [Benchmark(OperationsPerInvoke = RangesPerOperation)]
    public async Task<long> RangedGet1MiB()
    {
        long total = 0;
        for (var i = 0; i < RangesPerOperation; i++)
        {
            var start = (long)_random.Next(BlobMiB) * BenchmarkBlobs.MiB;
            using var request = new HttpRequestMessage(HttpMethod.Get, _blobPath);
            request.Headers.Range = new RangeHeaderValue(start, start + BenchmarkBlobs.MiB - 1);
            total += await DrainAsync(request, HttpStatusCode.PartialContent);
        }

        return total;
    }

    private async Task<long> DrainAsync(HttpRequestMessage request, HttpStatusCode status)
    {
        using var response = await _registry.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        BenchmarkBlobs.Expect(response, status);
        await using var body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(_drain)) > 0)
        {
            total += read;
        }

        return total;
    }
}
