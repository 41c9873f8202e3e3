using System.Text;
using BenchmarkDotNet.Attributes;
using OciRegistry.Core.Digests;

namespace OciRegistry.Benchmarks.Digests;

/// <summary>Parsing a sha256 digest from a URL segment (chars) and from a manifest's JSON (UTF-8 bytes).</summary>
[MemoryDiagnoser]
public class DigestParsingBenchmarks
{
    private const string Sha256Text = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly byte[] _sha256Utf8 = Encoding.ASCII.GetBytes(Sha256Text);

    [Benchmark(Baseline = true)]
    public Digest ParseSha256FromChars()
    {
        Digest.TryParse(Sha256Text.AsSpan(), out var digest);
        return digest;
    }

    [Benchmark]
    public Digest ParseSha256FromUtf8()
    {
        Digest.TryParse(_sha256Utf8, out var digest);
        return digest;
    }
}
