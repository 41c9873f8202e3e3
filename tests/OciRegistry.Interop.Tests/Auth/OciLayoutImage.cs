using System.Security.Cryptography;
using System.Text;

namespace OciRegistry.Interop.Tests.Auth;

/// <summary>Writes a one-layer image as an OCI image layout folder, the source skopeo copies from.</summary>
internal static class OciLayoutImage
{
    /// <summary>Writes the layout under <paramref name="folder"/>, tagged <c>latest</c>.</summary>
    public static void Write(string folder, string layerText)
    {
        var blobs = Path.Combine(folder, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layer = Encoding.UTF8.GetBytes(layerText);
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Store(blobs, config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Store(blobs, layer)}}","size":{{layer.Length}} }]}
            """.Trim());
        var manifestDigest = Store(blobs, manifest);
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(folder, "index.json"), $$"""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{manifestDigest}}","size":{{manifest.Length}},"annotations":{"org.opencontainers.image.ref.name":"latest"} }]}
            """);
    }

    private static string Store(string blobs, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(blobs, hex), content);
        return "sha256:" + hex;
    }
}
