using OciRegistry.Core.Manifests;
using static OciRegistry.Core.Tests.Manifests.ManifestSamples;

namespace OciRegistry.Core.Tests.Manifests;

public sealed class DescriptorValidationTests
{
    private static readonly string ValidLayer = $$"""{ "mediaType": "{{OciLayerType}}", "digest": "{{Layer1}}", "size": 5 }""";

    [Theory]
    [InlineData("""{ "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 }""", "config.mediaType is required")]
    [InlineData("""{ "mediaType": "", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 }""", "config.mediaType is required")]
    [InlineData("""{ "mediaType": null, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 }""", "config.mediaType is required")]
    [InlineData("""{ "mediaType": "a/b", "size": 2 }""", "config.digest is required")]
    [InlineData("""{ "mediaType": "a/b", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" }""", "config.size is required")]
    [InlineData("""{ "mediaType": "a/b", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": -1 }""", "config.size must not be negative")]
    [InlineData("""{ "mediaType": "a/b", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 1.5 }""", "malformed JSON")]
    [InlineData("""{ "mediaType": "a/b", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": "2" }""", "malformed JSON")]
    [InlineData("""{ "mediaType": 7, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 }""", "malformed JSON")]
    public void Rejects_ConfigMissingOrWrongRequiredField(string config, string expected)
    {
        ManifestAssert.Invalid(WithConfig(config), expected);
    }

    [Theory]
    [InlineData("sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A")]
    [InlineData("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8")]
    [InlineData("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    [InlineData("sha256:")]
    [InlineData("")]
    public void Rejects_MalformedDigest(string digest)
    {
        ManifestAssert.Invalid(WithConfig($$"""{ "mediaType": "a/b", "digest": "{{digest}}", "size": 2 }"""), "config.digest is not a valid digest");
    }

    [Fact]
    public void Rejects_UnsupportedDigestAlgorithm_SayingSo()
    {
        ManifestAssert.Invalid(
            WithConfig($$"""{ "mediaType": "a/b", "digest": "md5:d41d8cd98f00b204e9800998ecf8427e", "size": 2 }"""),
            "config.digest uses an unsupported algorithm");
    }

    [Fact]
    public void Rejects_InvalidLayer_NamingItsIndex()
    {
        var json = OciManifest.Replace($"\"digest\": \"{Layer2}\"", "\"digest\": \"sha256:nope\"", StringComparison.Ordinal);

        ManifestAssert.Invalid(json, "layers[1].digest is not a valid digest");
    }

    [Fact]
    public void Rejects_NullLayer()
    {
        ManifestAssert.Invalid(WithConfig(ConfigWith("\"x\": 1")).Replace("[]", $"[{ValidLayer}, null]", StringComparison.Ordinal), "layers[1] must be a descriptor object");
    }

    [Fact]
    public void Rejects_InvalidIndexEntry_NamingItsIndex()
    {
        ManifestAssert.Invalid(OciIndex.Replace("\"size\": 7682", "\"size\": -7682", StringComparison.Ordinal), "manifests[1].size must not be negative");
    }

    [Fact]
    public void Rejects_InvalidSubject()
    {
        ManifestAssert.Invalid(Artifact.Replace("\"size\": 1234", "\"sighs\": 1234", StringComparison.Ordinal), "subject.size is required");
    }

    [Fact]
    public void Rejects_DataOfWrongLength()
    {
        ManifestAssert.Invalid(WithConfig(ConfigWith("\"data\": \"e30=\"")), "config.data is 2 bytes but size is 7023");
    }

    [Fact]
    public void Rejects_DataNotMatchingDigest()
    {
        var config = $$"""{ "mediaType": "{{ManifestMediaTypes.OciEmpty}}", "digest": "{{ConfigDigest}}", "size": 2, "data": "e30=" }""";

        ManifestAssert.Invalid(WithConfig(config), "config.data does not match digest");
    }

    [Fact]
    public void Rejects_DataThatIsNotBase64()
    {
        ManifestAssert.Invalid(WithConfig(ConfigWith("\"data\": \"not base64!\"")), "malformed JSON at $.config.data (line 1, byte ");
    }

    [Fact]
    public void Accepts_DataMatchingSizeAndDigest()
    {
        var manifest = ManifestAssert.Valid(Artifact);

        Assert.Equal("{}"u8.ToArray(), manifest.Config!.Data);
    }

    [Theory]
    [InlineData("""{ "os": "linux" }""")]
    [InlineData("""{ "architecture": "amd64" }""")]
    [InlineData("""{ "architecture": "", "os": "linux" }""")]
    [InlineData("""{ "architecture": "amd64", "os": "linux", "os.features": [null] }""")]
    public void Rejects_PlatformWithoutArchitectureOrOs(string platform)
    {
        ManifestAssert.Invalid(OciIndex.Replace("""{ "architecture": "amd64", "os": "linux" }""", platform, StringComparison.Ordinal), "manifests[0].platform needs architecture and os");
    }

    [Fact]
    public void Rejects_NullUrl()
    {
        ManifestAssert.Invalid(WithConfig(ConfigWith("\"urls\": [\"https://a.example\", null]")), "config.urls must contain only strings");
    }

    [Fact]
    public void Rejects_NullDescriptorAnnotationValue()
    {
        ManifestAssert.Invalid(WithConfig(ConfigWith("\"annotations\": { \"a\": null }")), "config.annotations values must be strings");
    }

    [Fact]
    public void Keeps_DescriptorAnnotations()
    {
        var manifest = ManifestAssert.Valid(WithConfig(ConfigWith("\"annotations\": { \"a\": \"1\", \"b\": \"\" }")));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "" }, manifest.Config!.Annotations);
    }
}
