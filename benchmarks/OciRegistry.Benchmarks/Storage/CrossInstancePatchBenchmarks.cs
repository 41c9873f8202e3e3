using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Operations;

namespace OciRegistry.Benchmarks.Storage;

/// <summary>
/// What a PATCH costs when it lands on an instance that does not hold the upload's running hash: that instance first
/// re-hashes the stored prefix. Two <see cref="UploadOperations"/> (two instances' caches) over one file-system store
/// push 64 MiB in 16 chunks of 4 MiB, then finish: every chunk through one instance; the second half through the other
/// (one instance lost, one re-hash); or the instances taking turns, as a front that balances each request does (each
/// PATCH and the final PUT first hash the chunk the other instance appended).
/// </summary>
[MemoryDiagnoser]
public class CrossInstancePatchBenchmarks
{
    private const int Chunks = 16;
    private const int ChunkBytes = 4 * 1024 * 1024;

    private readonly byte[] _blob = RandomNumberGenerator.GetBytes(Chunks * ChunkBytes);
    private string _digest = "";
    private string _folder = "";
    private ServiceProvider _services = null!;
    private UploadOperations[] _instances = [];

    /// <summary>Which instance takes each chunk.</summary>
    [Params("one instance", "switch once", "alternating")]
    public string Spread { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_blob));
        _folder = Directory.CreateTempSubdirectory("oci-bench-patch-").FullName;
        var services = new ServiceCollection();
        services.AddOciRegistryCore().AddFileSystemStorage(o => o.RootPath = _folder);
        _services = services.BuildServiceProvider();
        _instances = [ActivatorUtilities.CreateInstance<UploadOperations>(_services), ActivatorUtilities.CreateInstance<UploadOperations>(_services)];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts, appends 16 chunks, finishes (a fresh repository each time, so the blob's commit is alike).</summary>
    [Benchmark]
    public async Task ChunkedUpload()
    {
        var repository = "bench/" + Guid.NewGuid().ToString("N");
        var session = (await _instances[0].StartAsync(repository)).Value;
        for (var chunk = 0; chunk < Chunks; chunk++)
        {
            var appended = await InstanceFor(chunk).AppendAsync(
                repository, session.Id, (long)chunk * ChunkBytes, PipeReader.Create(new ReadOnlySequence<byte>(_blob.AsMemory(chunk * ChunkBytes, ChunkBytes))));
            ThrowIfFailed(appended.IsSuccess);
        }

        var finished = await InstanceFor(Chunks).CompleteAsync(repository, session.Id, _digest, rangeStart: null, finalChunk: null);
        ThrowIfFailed(finished.IsSuccess);
    }

    private UploadOperations InstanceFor(int request) => Spread switch
    {
        "alternating" => _instances[request % 2],
        "switch once" => _instances[request < Chunks / 2 ? 0 : 1],
        _ => _instances[0],
    };

    private static void ThrowIfFailed(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("The upload was refused.");
        }
    }
}
