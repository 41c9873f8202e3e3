using System.Text;
using BenchmarkDotNet.Attributes;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Benchmarks.Manifests;

/// <summary>Cost of validating a pushed manifest: a typical 5-layer OCI image manifest and a 4-platform OCI index.</summary>
[MemoryDiagnoser]
public class ManifestParsingBenchmarks
{
    private static readonly string[] Platforms = ["amd64", "arm64", "arm", "ppc64le"];

    private readonly byte[] _manifest = Encoding.UTF8.GetBytes(ImageManifest());
    private readonly byte[] _index = Encoding.UTF8.GetBytes(ImageIndex());

    /// <summary>Parses an OCI image manifest with a config and 5 layers.</summary>
    [Benchmark]
    public RegistryResult<Manifest> OciManifest5Layers() => ManifestParser.Parse(_manifest, ManifestMediaTypes.OciManifest);

    /// <summary>Parses an OCI index with 4 platform entries.</summary>
    [Benchmark]
    public RegistryResult<Manifest> OciIndex4Platforms() => ManifestParser.Parse(_index, ManifestMediaTypes.OciIndex);

    private static string DigestOf(string seed) => DigestHasher.Compute(Encoding.UTF8.GetBytes(seed)).ToString();

    private static string ImageManifest()
    {
        var layers = Enumerable.Range(0, 5).Select(i =>
            $$"""
                {
                  "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                  "digest": "{{DigestOf("layer" + i)}}",
                  "size": {{1_000_000 * (i + 1)}}
                }
            """);
        return $$"""
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": "{{DigestOf("config")}}",
                "size": 7023
              },
              "layers": [
            {{string.Join(",\n", layers)}}
              ],
              "annotations": {
                "org.opencontainers.image.created": "2026-01-01T00:00:00Z",
                "org.opencontainers.image.source": "https://github.com/example/app"
              }
            }
            """;
    }

    private static string ImageIndex()
    {
        var manifests = Platforms.Select(architecture =>
            $$"""
                {
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": "{{DigestOf(architecture)}}",
                  "size": 1622,
                  "platform": { "architecture": "{{architecture}}", "os": "linux" }
                }
            """);
        return $$"""
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": [
            {{string.Join(",\n", manifests)}}
              ]
            }
            """;
    }
}
