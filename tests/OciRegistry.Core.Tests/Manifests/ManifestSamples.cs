using System.Text;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Tests.Manifests;

/// <summary>Realistic manifests, as pushed by docker, buildx and oras, with real digests.</summary>
internal static class ManifestSamples
{
    public const string OciConfigType = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfigType = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerType = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string SbomType = "application/vnd.example.sbom.v1";

    /// <summary>The OCI empty descriptor's digest: sha256 of <c>{}</c>.</summary>
    public const string EmptyJsonDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    public static readonly string ConfigDigest = DigestOf("config");
    public static readonly string Layer1 = DigestOf("layer-1");
    public static readonly string Layer2 = DigestOf("layer-2");
    public static readonly string Layer3 = DigestOf("layer-3");
    public static readonly string Amd64 = DigestOf("amd64");
    public static readonly string Arm64 = DigestOf("arm64");
    public static readonly string SubjectDigest = DigestOf("subject");

    public static readonly string OciManifest = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": { "mediaType": "{{OciConfigType}}", "digest": "{{ConfigDigest}}", "size": 7023 },
          "layers": [
            { "mediaType": "{{OciLayerType}}", "digest": "{{Layer1}}", "size": 32654 },
            { "mediaType": "{{OciLayerType}}", "digest": "{{Layer2}}", "size": 16724 },
            { "mediaType": "{{OciLayerType}}", "digest": "{{Layer3}}", "size": 73109, "urls": ["https://mirror.example.com/layer3"] }
          ],
          "annotations": { "com.example.key1": "value1", "org.opencontainers.image.created": "2026-01-01T00:00:00Z" }
        }
        """;

    public static readonly string OciIndex = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "{{Amd64}}",
              "size": 7143,
              "platform": { "architecture": "amd64", "os": "linux" }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "{{Arm64}}",
              "size": 7682,
              "platform": { "architecture": "arm64", "os": "linux", "variant": "v8", "os.version": "6.1", "os.features": ["sse4"] }
            }
          ],
          "annotations": { "com.example.key1": "value1" }
        }
        """;

    public static readonly string DockerManifest = $$"""
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": { "mediaType": "{{DockerConfigType}}", "size": 7023, "digest": "{{ConfigDigest}}" },
           "layers": [
              { "mediaType": "{{DockerLayerType}}", "size": 32654, "digest": "{{Layer1}}" },
              { "mediaType": "{{DockerLayerType}}", "size": 16724, "digest": "{{Layer2}}" }
           ]
        }
        """;

    public static readonly string DockerManifestList = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "manifests": [
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7143,
              "digest": "{{Amd64}}",
              "platform": { "architecture": "amd64", "os": "linux", "features": ["sse4"] }
            },
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7682,
              "digest": "{{Arm64}}",
              "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" }
            }
          ]
        }
        """;

    public static readonly string Artifact = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "{{SbomType}}",
          "config": { "mediaType": "application/vnd.oci.empty.v1+json", "digest": "{{EmptyJsonDigest}}", "size": 2, "data": "e30=" },
          "layers": [ { "mediaType": "application/spdx+json", "digest": "{{Layer1}}", "size": 1024 } ],
          "subject": { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{SubjectDigest}}", "size": 1234 },
          "annotations": { "org.opencontainers.image.created": "2026-01-01T00:00:00Z" }
        }
        """;

    /// <summary>An OCI manifest whose config descriptor is <paramref name="configJson"/>, with no layers.</summary>
    public static string WithConfig(string configJson) => $$"""
        { "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": {{configJson}}, "layers": [] }
        """;

    /// <summary>A valid config descriptor with one member replaced or added: <paramref name="member"/> is <c>"name": value</c>.</summary>
    public static string ConfigWith(string member) => $$"""
        { "mediaType": "{{OciConfigType}}", "digest": "{{ConfigDigest}}", "size": 7023, {{member}} }
        """;

    public static string DigestOf(string content) => DigestHasher.Compute(Encoding.UTF8.GetBytes(content)).ToString();
}
