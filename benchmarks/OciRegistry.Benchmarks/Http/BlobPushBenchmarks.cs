using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Http;

/// <summary>
/// Blob pushes over real HTTP to an in-process file-system registry. The allocation column is the whole process —
/// server and a raw-socket client that allocates nothing per byte — and must not grow with the blob: a push streams, it never buffers the blob.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BlobPushBenchmarks
{
    private InProcessRegistry _registry = null!;
    private RawHttpClient _client = null!;
    private string _digest = "";

    /// <summary>The blob's size in MiB.</summary>
    [Params(64, 1024)]
    public int BlobMiB { get; set; }

    private long Length => (long)BlobMiB * BenchmarkBlobs.MiB;

    /// <summary>Starts the registry and computes the pattern blob's digest.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        _client = new RawHttpClient(_registry.BaseAddress);
        _digest = BenchmarkBlobs.DigestOf(Length);
    }

    /// <summary>Stops the registry and deletes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    /// <summary>POST, then PUT <c>?digest=</c> streaming the whole blob.</summary>
    [Benchmark]
    public Task MonolithicPush() => BenchmarkBlobs.PushMonolithicAsync(_client, "bench/push", Length, _digest);

    /// <summary>POST, 16 MiB PATCHes, PUT <c>?digest=</c>.</summary>
    [Benchmark]
    public Task ChunkedPush16MiB() => BenchmarkBlobs.PushChunkedAsync(_client, "bench/push", Length, 16L * BenchmarkBlobs.MiB, _digest);
}
