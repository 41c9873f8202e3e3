using System.Text.Json;
using System.Text.Json.Serialization;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>The wire shape of a content descriptor, before validation.</summary>
internal sealed class DescriptorJson
{
    /// <summary>The <c>mediaType</c> field.</summary>
    public string? MediaType { get; init; }

    /// <summary>The <c>digest</c> field, still unparsed.</summary>
    public string? Digest { get; init; }

    /// <summary>The <c>size</c> field.</summary>
    public long? Size { get; init; }

    /// <summary>The <c>urls</c> field.</summary>
    public List<string>? Urls { get; init; }

    /// <summary>The <c>annotations</c> map.</summary>
    public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>The <c>data</c> field, decoded from base64.</summary>
    public byte[]? Data { get; init; }

    /// <summary>The <c>artifactType</c> field.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The <c>platform</c> object.</summary>
    public PlatformJson? Platform { get; init; }

    /// <summary>Fields this registry does not know, kept only so that duplicates among them are refused too.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
