using System.Text;
using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>Builds manifest bodies for tests.</summary>
internal static class Manifests
{
    public static Dictionary<string, object> Describe(string mediaType, byte[] content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = DigestHasher.Compute(content).ToString(),
        ["size"] = content.Length,
    };

    public static byte[] Image(object config, IEnumerable<object> layers, object? subject = null, string? artifactType = null, IDictionary<string, string>? annotations = null, string mediaType = ManifestMediaTypes.OciManifest)
    {
        var manifest = new Dictionary<string, object> { ["schemaVersion"] = 2, ["mediaType"] = mediaType, ["config"] = config, ["layers"] = layers.ToArray() };
        if (subject is not null)
        {
            manifest["subject"] = subject;
        }

        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }

        if (annotations is not null)
        {
            manifest["annotations"] = annotations;
        }

        return JsonSerializer.SerializeToUtf8Bytes(manifest);
    }

    public static byte[] Index(IEnumerable<object> manifests, string mediaType = ManifestMediaTypes.OciIndex) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["schemaVersion"] = 2, ["mediaType"] = mediaType, ["manifests"] = manifests.ToArray() });

    public static Dictionary<string, object> DescribeManifest(byte[] manifest, string mediaType = ManifestMediaTypes.OciManifest) => Describe(mediaType, manifest);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
