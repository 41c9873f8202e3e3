using System.Text.Json.Nodes;

namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>Reads back an OCI image layout that skopeo wrote: tags from <c>index.json</c>, blobs by digest.</summary>
internal sealed class OciLayoutReader(string folder)
{
    /// <summary>The descriptor <c>index.json</c> names <paramref name="tag"/>; fails the test when there is none.</summary>
    public OciDescriptor Resolve(string tag)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "index.json")))!;
        foreach (var entry in index["manifests"]!.AsArray())
        {
            if (entry!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == tag)
            {
                return new OciDescriptor(entry["mediaType"]!.GetValue<string>(), entry["digest"]!.GetValue<string>(), entry["size"]!.GetValue<long>());
            }
        }

        throw new Xunit.Sdk.XunitException($"{folder}/index.json names no '{tag}': {index.ToJsonString()}");
    }

    /// <summary>The bytes of blob <paramref name="digest"/>.</summary>
    public byte[] ReadBlob(string digest) => File.ReadAllBytes(OciLayoutPaths.Blob(folder, digest));

    /// <summary>The blob <paramref name="digest"/> parsed as JSON.</summary>
    public JsonNode ReadJson(string digest) => JsonNode.Parse(ReadBlob(digest))!;

    /// <summary>The layer descriptors of the image manifest <paramref name="manifestDigest"/>.</summary>
    public IReadOnlyList<string> LayerDigests(string manifestDigest) =>
        [.. ReadJson(manifestDigest)["layers"]!.AsArray().Select(layer => layer!["digest"]!.GetValue<string>())];
}
