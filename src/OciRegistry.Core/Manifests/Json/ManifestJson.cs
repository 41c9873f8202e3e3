using System.Text.Json;
using System.Text.Json.Serialization;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>The wire shape of an image manifest, image index, Docker manifest or manifest list, before validation.</summary>
internal sealed class ManifestJson
{
    /// <summary>The <c>schemaVersion</c> field; must be 2.</summary>
    public int? SchemaVersion { get; init; }

    /// <summary>The <c>mediaType</c> field.</summary>
    public string? MediaType { get; init; }

    /// <summary>The <c>artifactType</c> field.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The <c>config</c> descriptor (image manifests).</summary>
    public DescriptorJson? Config { get; init; }

    /// <summary>The <c>layers</c> descriptors (image manifests).</summary>
    public List<DescriptorJson>? Layers { get; init; }

    /// <summary>The <c>manifests</c> descriptors (indexes).</summary>
    public List<DescriptorJson>? Manifests { get; init; }

    /// <summary>The <c>subject</c> descriptor.</summary>
    public DescriptorJson? Subject { get; init; }

    /// <summary>The <c>annotations</c> map.</summary>
    public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>Fields this registry does not know, kept only so that duplicates among them are refused too.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
