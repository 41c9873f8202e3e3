using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using OciRegistry.Core.Digests;

namespace OciRegistry.Benchmarks.Digests;

/// <summary>
/// <see cref="DigestHasher"/> fed a 64 MiB blob in upload-sized chunks, against the one-shot platform hash of the
/// same bytes; and one append on its own, to show that appending allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class HasherBenchmarks
{
    private const int BlobSize = 64 * 1024 * 1024;
    private const int SmallChunk = 64 * 1024;
    private const int LargeChunk = 1024 * 1024;

    private readonly byte[] _hash = new byte[64];
    private byte[] _blob = [];
    private DigestHasher? _appendTarget;

    [Params(DigestAlgorithm.Sha256, DigestAlgorithm.Sha512)]
    public DigestAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _blob = new byte[BlobSize];
        new Random(42).NextBytes(_blob);
        _appendTarget = DigestHasher.Rent(Algorithm);
    }

    [GlobalCleanup]
    public void Cleanup() => _appendTarget?.Dispose();

    [Benchmark(Baseline = true)]
    public int HashDataOneShot() => Algorithm == DigestAlgorithm.Sha512
        ? SHA512.HashData(_blob, _hash)
        : SHA256.HashData(_blob, _hash);

    [Benchmark]
    public Digest HasherIn64KiBChunks() => HashInChunks(SmallChunk);

    [Benchmark]
    public Digest HasherIn1MiBChunks() => HashInChunks(LargeChunk);

    [Benchmark]
    public long HasherAppendOne64KiBChunk()
    {
        var hasher = _appendTarget!;
        hasher.Append(_blob.AsSpan(0, SmallChunk));
        return hasher.Length;
    }

    private Digest HashInChunks(int chunkSize)
    {
        using var hasher = DigestHasher.Rent(Algorithm);
        for (var offset = 0; offset < _blob.Length; offset += chunkSize)
        {
            hasher.Append(_blob.AsSpan(offset, Math.Min(chunkSize, _blob.Length - offset)));
        }

        return hasher.Finish();
    }
}
