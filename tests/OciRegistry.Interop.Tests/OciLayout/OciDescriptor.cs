using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>An OCI content descriptor: what a blob is, its digest and its length.</summary>
internal sealed record OciDescriptor(string MediaType, string Digest, long Size)
{
    /// <summary>Describes <paramref name="content"/> as <paramref name="mediaType"/>.</summary>
    public static OciDescriptor Of(string mediaType, byte[] content) => new(mediaType, DigestOf(content), content.Length);

    /// <summary>The <c>sha256:</c> digest of <paramref name="content"/>.</summary>
    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The descriptor as JSON, ready to add more fields (platform, annotations).</summary>
    public JsonObject ToJson() => new()
    {
        ["mediaType"] = MediaType,
        ["digest"] = Digest,
        ["size"] = Size,
    };
}
