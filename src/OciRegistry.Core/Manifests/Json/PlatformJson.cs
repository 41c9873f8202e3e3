using System.Text.Json;
using System.Text.Json.Serialization;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>The wire shape of an index entry's platform, before validation.</summary>
internal sealed class PlatformJson
{
    /// <summary>The <c>architecture</c> field.</summary>
    public string? Architecture { get; init; }

    /// <summary>The <c>os</c> field.</summary>
    public string? Os { get; init; }

    /// <summary>The <c>os.version</c> field.</summary>
    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    /// <summary>The <c>os.features</c> field.</summary>
    [JsonPropertyName("os.features")]
    public List<string>? OsFeatures { get; init; }

    /// <summary>The <c>variant</c> field.</summary>
    public string? Variant { get; init; }

    /// <summary>Fields this registry does not know, kept only so that duplicates among them are refused too.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
