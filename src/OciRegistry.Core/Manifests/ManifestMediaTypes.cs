namespace OciRegistry.Core.Manifests;

/// <summary>The manifest media types the registry understands.</summary>
public static class ManifestMediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker image manifest, version 2, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (multi-platform), version 2, schema 2.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>The OCI empty descriptor's media type (<c>{}</c>), used as config of artifacts.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>True for the two index types (OCI index, Docker manifest list).</summary>
    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>
    /// Whether <paramref name="mediaType"/> marks a layer that may not be redistributed: OCI's deprecated
    /// <c>application/vnd.oci.image.layer.nondistributable.v1.tar[+gzip|+zstd]</c> or Docker's foreign layer
    /// <c>application/vnd.docker.image.rootfs.foreign.diff.tar.gzip</c>.
    /// </summary>
    public static bool IsNonDistributableLayer(string mediaType) =>
        mediaType.StartsWith("application/vnd.oci.image.layer.nondistributable.v1.tar", StringComparison.Ordinal)
        || mediaType == "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>True for any of the four manifest types above.</summary>
    public static bool IsKnown(string mediaType) => mediaType is OciManifest or OciIndex or DockerManifest or DockerManifestList;
}
