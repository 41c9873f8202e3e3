using OciRegistry.Core.Manifests;
using static OciRegistry.Core.Tests.Manifests.ManifestSamples;

namespace OciRegistry.Core.Tests.Manifests;

public sealed class ManifestMediaTypeTests
{
    private const string NoMediaTypeImage = """{ "schemaVersion": 2, "config": { "mediaType": "a/b", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2 }, "layers": [] }""";

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    [InlineData("application/vnd.oci.image.manifest.v1+json;charset=utf-8")]
    [InlineData("  application/vnd.oci.image.manifest.v1+json  ")]
    public void Uses_MediaTypePartOfContentType(string contentType)
    {
        var manifest = ManifestAssert.Valid(OciManifest, contentType);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
    }

    [Fact]
    public void Rejects_BodyMediaTypeDifferentFromContentType()
    {
        ManifestAssert.Invalid(
            OciManifest,
            $"mediaType in body {ManifestMediaTypes.OciManifest} does not match Content-Type {ManifestMediaTypes.DockerManifest}",
            ManifestMediaTypes.DockerManifest + "; charset=utf-8");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Uses_BodyMediaType_WhenNoContentType(string? contentType)
    {
        var manifest = ManifestAssert.Valid(DockerManifest, contentType);

        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.MediaType);
    }

    [Fact]
    public void Uses_ContentType_WhenBodyHasNoMediaType()
    {
        var manifest = ManifestAssert.Valid(NoMediaTypeImage, ManifestMediaTypes.DockerManifest);

        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.MediaType);
    }

    [Fact]
    public void Infers_OciManifest_FromConfig()
    {
        var manifest = ManifestAssert.Valid(NoMediaTypeImage);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
    }

    [Fact]
    public void Infers_OciIndex_FromManifests()
    {
        var index = ManifestAssert.Valid("""{ "schemaVersion": 2, "manifests": [] }""");

        Assert.Equal(ManifestMediaTypes.OciIndex, index.MediaType);
        Assert.True(index.IsIndex);
    }

    [Fact]
    public void Rejects_UninferableMediaType()
    {
        ManifestAssert.Invalid("""{ "schemaVersion": 2, "layers": [] }""", "no Content-Type, no mediaType field");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    public void Rejects_UnknownContentType(string contentType)
    {
        ManifestAssert.Invalid(NoMediaTypeImage, $"unsupported manifest media type {contentType}", contentType);
    }

    [Fact]
    public void Rejects_UnknownBodyMediaType()
    {
        ManifestAssert.Invalid(OciManifest.Replace(ManifestMediaTypes.OciManifest, "application/vnd.example+json", StringComparison.Ordinal), "unsupported manifest media type application/vnd.example+json");
    }
}
