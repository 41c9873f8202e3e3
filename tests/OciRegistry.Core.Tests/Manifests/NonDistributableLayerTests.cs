using OciRegistry.Core.Manifests;

namespace OciRegistry.Core.Tests.Manifests;

/// <summary>Which layers a registry need not hold: those with <c>urls</c> and those of a non-distributable media type.</summary>
public sealed class NonDistributableLayerTests
{
    [Theory]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar", false, true)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", false, true)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", false, true)]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", false, true)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", true, true)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", false, false)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", false, false)]
    public void IsNonDistributable_ByMediaTypeOrUrls(string mediaType, bool withUrls, bool expected)
    {
        var descriptor = new Descriptor
        {
            MediaType = mediaType,
            Digest = OciRegistry.Core.Digests.DigestHasher.Compute("layer"u8),
            Size = 5,
            Urls = withUrls ? ["https://store.example.com/layer"] : null,
        };

        Assert.Equal(expected, descriptor.IsNonDistributable);
    }
}
