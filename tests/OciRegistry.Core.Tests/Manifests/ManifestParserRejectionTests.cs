using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;
using static OciRegistry.Core.Tests.Manifests.ManifestSamples;

namespace OciRegistry.Core.Tests.Manifests;

public sealed class ManifestParserRejectionTests
{
    [Fact]
    public void Rejects_ManifestOverMaxBytes_SayingSizeAndLimit()
    {
        var size = Encoding.UTF8.GetByteCount(OciManifest);

        ManifestAssert.Invalid(ManifestAssert.Parse(OciManifest, maxBytes: size - 1), $"{size} bytes, over the limit of {size - 1} bytes");
    }

    [Fact]
    public void Rejects_EmptyBody()
    {
        var result = ManifestParser.Parse(ReadOnlyMemory<byte>.Empty, ManifestMediaTypes.OciManifest);

        ManifestAssert.Invalid(result, "empty");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("2")]
    [InlineData("null")]
    [InlineData("   ")]
    public void Rejects_NonObject(string json)
    {
        ManifestAssert.Invalid(json, "must be a JSON object");
    }

    [Theory]
    [InlineData("""{ "schemaVersion": 2, """)]
    [InlineData("""{ "schemaVersion": 2, }""")]
    [InlineData("""{ "schemaVersion": 2 } {}""")]
    [InlineData("""{ "schemaVersion": 2 /* comment */ }""")]
    [InlineData("""{ 'schemaVersion': 2 }""")]
    [InlineData("""{ "schemaVersion": "2" }""")]
    [InlineData("""{ "schemaVersion": 2.5 }""")]
    [InlineData("""{ "schemaVersion": 2, "layers": {} }""")]
    [InlineData("""{ "schemaVersion": 2, "config": [] }""")]
    [InlineData("""{ "schemaVersion": 2, "annotations": [] }""")]
    public void Rejects_MalformedJsonOrWrongTypes(string json)
    {
        ManifestAssert.Invalid(json, "malformed JSON");
    }

    [Fact]
    public void Rejects_InvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(OciManifest.Replace("value1", "value\u00e9", StringComparison.Ordinal));
        var index = Array.IndexOf(bytes, (byte)0xC3);
        bytes[index + 1] = (byte)'x';

        ManifestAssert.Invalid(ManifestParser.Parse(bytes, null), "not valid UTF-8");
    }

    [Theory]
    [InlineData("""{ "schemaVersion": 2, "schemaVersion": 2, "manifests": [] }""")]
    [InlineData("""{ "schemaVersion": 2, "manifests": [], "annotations": { "a": "1", "a": "2" } }""")]
    [InlineData("""{ "schemaVersion": 2, "manifests": [], "annotations": { "a": "1" }, "annotations": { "b": "2" } }""")]
    [InlineData("""{ "schemaVersion": 2, "manifests": [ { "mediaType": "a/b", "size": 1, "size": 2, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" } ] }""")]
    public void Rejects_DuplicateKeys(string json)
    {
        ManifestAssert.Invalid(json, "Duplicate");
    }

    [Theory]
    [InlineData("""{ "schemaVersion": 2, "manifests": [], "extra": 1, "extra": 2 }""")]
    [InlineData("""{ "schemaVersion": 2, "manifests": [], "extra": { "nested": [ { "a": 1, "a": 1 } ] } }""")]
    [InlineData("""{ "schemaVersion": 2, "manifests": [ { "mediaType": "a/b", "size": 1, "x": 1, "x": 1, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" } ] }""")]
    public void Rejects_DuplicateUnknownKeys(string json)
    {
        ManifestAssert.Invalid(json, "Duplicate");
    }

    [Fact]
    public void Rejects_DuplicateKeys_NamingWhereAndNoInternalTypes()
    {
        var error = ManifestAssert.Invalid("""{ "schemaVersion": 2, "schemaVersion": 2, "manifests": [] }""", "malformed JSON at $.schemaVersion (line 1, byte ");

        Assert.Contains("Duplicate property 'schemaVersion'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("OciRegistry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_NestingDeeperThan64()
    {
        var deep = new string('[', 100) + new string(']', 100);

        ManifestAssert.Invalid($$"""{ "schemaVersion": 2, "manifests": [], "extra": {{deep}} }""", "depth");
    }

    [Fact]
    public void Accepts_NestingOf64()
    {
        var deep = new string('[', 63) + new string(']', 63);

        ManifestAssert.Valid($$"""{ "schemaVersion": 2, "manifests": [], "extra": {{deep}} }""");
    }

    [Fact]
    public void Rejects_MissingSchemaVersion()
    {
        ManifestAssert.Invalid("""{ "manifests": [] }""", "schemaVersion is required");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(0)]
    public void Rejects_SchemaVersionOtherThan2(int version)
    {
        ManifestAssert.Invalid($$"""{ "schemaVersion": {{version}}, "manifests": [] }""", $"schemaVersion must be 2, not {version}");
    }

    [Fact]
    public void Rejects_ImageManifestWithoutConfig()
    {
        ManifestAssert.Invalid("""{ "schemaVersion": 2, "layers": [] }""", "config is required", ManifestMediaTypes.OciManifest);
    }

    [Fact]
    public void Rejects_ImageManifestWithoutLayers()
    {
        ManifestAssert.Invalid(OciManifest.Replace("\"layers\"", "\"layerz\"", StringComparison.Ordinal), "layers is required");
    }

    [Fact]
    public void Rejects_DockerManifestWithoutLayers()
    {
        ManifestAssert.Invalid(DockerManifest.Replace("\"layers\"", "\"other\"", StringComparison.Ordinal), "layers is required");
    }

    [Fact]
    public void Rejects_ImageManifestWithManifests()
    {
        ManifestAssert.Invalid(OciManifest.Replace("\"layers\"", "\"manifests\": [], \"layers\"", StringComparison.Ordinal), "an image manifest must not have manifests");
    }

    [Fact]
    public void Rejects_IndexWithoutManifests()
    {
        ManifestAssert.Invalid("""{ "schemaVersion": 2 }""", "manifests is required", ManifestMediaTypes.OciIndex);
    }

    [Fact]
    public void Rejects_ManifestListWithoutManifests()
    {
        ManifestAssert.Invalid(DockerManifestList.Replace("\"manifests\"", "\"children\"", StringComparison.Ordinal), "manifests is required");
    }

    [Fact]
    public void Rejects_IndexWithLayers()
    {
        ManifestAssert.Invalid(OciIndex.Replace("\"manifests\"", "\"layers\": [], \"manifests\"", StringComparison.Ordinal), "an index must not have config or layers");
    }

    [Fact]
    public void Rejects_IndexWithConfig()
    {
        var config = $$"""{ "mediaType": "{{OciConfigType}}", "digest": "{{ConfigDigest}}", "size": 1 }""";

        ManifestAssert.Invalid(OciIndex.Replace("\"manifests\"", $"\"config\": {config}, \"manifests\"", StringComparison.Ordinal), "an index must not have config or layers");
    }

    [Fact]
    public void Rejects_NullAnnotationValue()
    {
        ManifestAssert.Invalid(OciManifest.Replace("\"value1\"", "null", StringComparison.Ordinal), "annotations values must be strings");
    }

    [Fact]
    public void Rejects_NonStringAnnotationValue()
    {
        var error = ManifestAssert.Invalid(OciManifest.Replace("\"value1\"", "1", StringComparison.Ordinal), "malformed JSON");

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
    }
}
