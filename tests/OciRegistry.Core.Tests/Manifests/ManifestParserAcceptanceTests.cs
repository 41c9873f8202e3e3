using System.Security.Cryptography;
using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using static OciRegistry.Core.Tests.Manifests.ManifestSamples;

namespace OciRegistry.Core.Tests.Manifests;

public sealed class ManifestParserAcceptanceTests
{
    [Fact]
    public void Accepts_OciManifest()
    {
        var manifest = ManifestAssert.Valid(OciManifest, ManifestMediaTypes.OciManifest);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(2, manifest.SchemaVersion);
        Assert.False(manifest.IsIndex);
        Assert.Equal(OciConfigType, manifest.Config!.MediaType);
        Assert.Equal(Digest.Parse(ConfigDigest), manifest.Config.Digest);
        Assert.Equal(7023, manifest.Config.Size);
        Assert.Equal([Layer1, Layer2, Layer3], manifest.Layers.Select(l => l.Digest.ToString()));
        Assert.Equal([32654L, 16724L, 73109L], manifest.Layers.Select(l => l.Size));
        Assert.All(manifest.Layers, l => Assert.Equal(OciLayerType, l.MediaType));
        Assert.Equal(["https://mirror.example.com/layer3"], manifest.Layers[2].Urls!);
        Assert.Null(manifest.Layers[0].Urls);
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.ArtifactType);
        Assert.Equal(OciConfigType, manifest.EffectiveArtifactType);
        Assert.Equal("value1", manifest.Annotations!["com.example.key1"]);
        Assert.Equal(2, manifest.Annotations.Count);
    }

    [Fact]
    public void Keeps_ExactBytesWithoutCopy_AndDigestsThem()
    {
        ReadOnlyMemory<byte> bytes = Encoding.UTF8.GetBytes(OciManifest);

        var manifest = ManifestParser.Parse(bytes, ManifestMediaTypes.OciManifest).Value;

        Assert.True(manifest.Bytes.Equals(bytes), "Bytes must be the very memory passed in");
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes.Span)), manifest.Digest.ToString());
    }

    [Fact]
    public void Accepts_OciIndex_WithPlatforms()
    {
        var index = ManifestAssert.Valid(OciIndex, ManifestMediaTypes.OciIndex);

        Assert.True(index.IsIndex);
        Assert.Null(index.Config);
        Assert.Empty(index.Layers);
        Assert.Equal([Amd64, Arm64], index.Manifests.Select(m => m.Digest.ToString()));
        Assert.All(index.Manifests, m => Assert.Equal(ManifestMediaTypes.OciManifest, m.MediaType));
        var amd64 = index.Manifests[0].Platform!;
        Assert.Equal(("amd64", "linux", null, null, null), (amd64.Architecture, amd64.Os, amd64.Variant, amd64.OsVersion, amd64.OsFeatures));
        var arm64 = index.Manifests[1].Platform!;
        Assert.Equal(("arm64", "linux", "v8", "6.1"), (arm64.Architecture, arm64.Os, arm64.Variant, arm64.OsVersion));
        Assert.Equal(["sse4"], arm64.OsFeatures!);
        Assert.Equal("value1", index.Annotations!["com.example.key1"]);
    }

    [Fact]
    public void Accepts_DockerManifest()
    {
        var manifest = ManifestAssert.Valid(DockerManifest, ManifestMediaTypes.DockerManifest);

        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(DockerConfigType, manifest.Config!.MediaType);
        Assert.Equal([Layer1, Layer2], manifest.Layers.Select(l => l.Digest.ToString()));
        Assert.All(manifest.Layers, l => Assert.Equal(DockerLayerType, l.MediaType));
    }

    [Fact]
    public void Accepts_DockerManifestList()
    {
        var list = ManifestAssert.Valid(DockerManifestList, ManifestMediaTypes.DockerManifestList);

        Assert.True(list.IsIndex);
        Assert.Equal([Amd64, Arm64], list.Manifests.Select(m => m.Digest.ToString()));
        Assert.Equal([7143L, 7682L], list.Manifests.Select(m => m.Size));
        Assert.Equal(["amd64", "arm64"], list.Manifests.Select(m => m.Platform!.Architecture));
    }

    [Fact]
    public void Accepts_ArtifactWithSubjectAndArtifactType()
    {
        var artifact = ManifestAssert.Valid(Artifact, ManifestMediaTypes.OciManifest);

        Assert.Equal(SbomType, artifact.ArtifactType);
        Assert.Equal(SbomType, artifact.EffectiveArtifactType);
        Assert.Equal(ManifestMediaTypes.OciEmpty, artifact.Config!.MediaType);
        Assert.Equal("{}"u8.ToArray(), artifact.Config.Data);
        Assert.Equal(Digest.Parse(SubjectDigest), artifact.Subject!.Digest);
        Assert.Equal(ManifestMediaTypes.OciManifest, artifact.Subject.MediaType);
        Assert.Equal(1234, artifact.Subject.Size);
    }

    [Fact]
    public void Accepts_IndexWithSubjectAndArtifactType()
    {
        var json = $$"""
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "artifactType": "{{SbomType}}",
              "manifests": [ { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{Amd64}}", "size": 10, "artifactType": "application/vnd.example.part" } ],
              "subject": { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{SubjectDigest}}", "size": 1234 }
            }
            """;

        var index = ManifestAssert.Valid(json, ManifestMediaTypes.OciIndex);

        Assert.Equal(Digest.Parse(SubjectDigest), index.Subject!.Digest);
        Assert.Equal(SbomType, index.ArtifactType);
        Assert.Equal("application/vnd.example.part", index.Manifests[0].ArtifactType);
    }

    [Fact]
    public void References_ListsConfigLayersAndSubject_InOrder()
    {
        var artifact = ManifestAssert.Valid(Artifact);

        var references = artifact.References.Select(r => (r.Descriptor.Digest.ToString(), r.Kind)).ToList();

        Assert.Equal(
            [(EmptyJsonDigest, ReferenceKind.Config), (Layer1, ReferenceKind.Layer), (SubjectDigest, ReferenceKind.Subject)],
            references);
    }

    [Fact]
    public void References_ListsEveryLayerOfAnImage()
    {
        var manifest = ManifestAssert.Valid(OciManifest);

        var references = manifest.References.Select(r => (r.Descriptor.Digest.ToString(), r.Kind)).ToList();

        Assert.Equal(
            [(ConfigDigest, ReferenceKind.Config), (Layer1, ReferenceKind.Layer), (Layer2, ReferenceKind.Layer), (Layer3, ReferenceKind.Layer)],
            references);
    }

    [Fact]
    public void References_ListsChildManifestsOfAnIndex()
    {
        var index = ManifestAssert.Valid(OciIndex);

        var references = index.References.Select(r => (r.Descriptor.Digest.ToString(), r.Kind)).ToList();

        Assert.Equal([(Amd64, ReferenceKind.Manifest), (Arm64, ReferenceKind.Manifest)], references);
    }

    [Fact]
    public void Accepts_EmptyLayers()
    {
        var manifest = ManifestAssert.Valid(WithConfig(ConfigWith("\"x\": 1")));

        Assert.Empty(manifest.Layers);
        Assert.Single(manifest.References);
    }

    [Fact]
    public void Accepts_EmptyManifestsInIndex()
    {
        var index = ManifestAssert.Valid("""{ "schemaVersion": 2, "manifests": [] }""", ManifestMediaTypes.OciIndex);

        Assert.Empty(index.Manifests);
    }

    [Fact]
    public void Accepts_UnknownFieldsAnywhere()
    {
        var json = $$"""
            {
              "schemaVersion": 2, "future": { "nested": [1, 2, { "deep": null }] },
              "config": { "mediaType": "{{OciConfigType}}", "digest": "{{ConfigDigest}}", "size": 1, "newField": true },
              "layers": []
            }
            """;

        var manifest = ManifestAssert.Valid(json, ManifestMediaTypes.OciManifest);

        Assert.Equal(ConfigDigest, manifest.Config!.Digest.ToString());
    }

    [Fact]
    public void Accepts_Sha512Digest()
    {
        var sha512 = "sha512:" + new string('a', 128);

        var manifest = ManifestAssert.Valid(WithConfig($$"""{ "mediaType": "{{OciConfigType}}", "digest": "{{sha512}}", "size": 3 }"""));

        Assert.Equal(DigestAlgorithm.Sha512, manifest.Config!.Digest.Algorithm);
        Assert.Equal(DigestAlgorithm.Sha256, manifest.Digest.Algorithm);
    }

    [Fact]
    public void Accepts_ManifestExactlyAtMaxBytes()
    {
        var bytes = Encoding.UTF8.GetByteCount(OciManifest);

        Assert.True(ManifestAssert.Parse(OciManifest, maxBytes: bytes).IsSuccess);
    }
}
