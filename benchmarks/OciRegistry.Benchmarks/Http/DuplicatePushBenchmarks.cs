using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// Pushing a blob the file-system registry already stores (a layer shared by many images, a retried push): the cost
/// of replacing the stored copy with the verified upload, so a copy gone bad is repaired by the next genuine push.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class DuplicatePushBenchmarks
{
    private InProcessRegistry _registry = null!;
    private RawHttpClient _client = null!;
    private string _digest = "";

    /// <summary>The blob's size in KiB.</summary>
    [Params(4, 1024, 65536)]
    public int BlobKiB { get; set; }

    private long Length => BlobKiB * 1024L;

    /// <summary>Starts the registry and stores the blob once, so every measured push is a duplicate.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        _client = new RawHttpClient(_registry.BaseAddress);
        _digest = BenchmarkBlobs.DigestOf(Length);
        await BenchmarkBlobs.PushMonolithicAsync(_client, "bench/first", Length, _digest);
    }

    /// <summary>Stops the registry and deletes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    /// <summary>POST, then PUT <c>?digest=</c> streaming the whole blob, which is stored already.</summary>
    [Benchmark]
    public Task DuplicateMonolithicPush() => BenchmarkBlobs.PushMonolithicAsync(_client, "bench/again", Length, _digest);
}
