using System.Text.Json.Serialization;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>
/// Source-generated, strict JSON metadata for manifests: case-sensitive camelCase names, no duplicate properties,
/// no comments or trailing commas, nesting at most 64 deep. Unknown properties are allowed, for forward compatibility:
/// each DTO captures them as extension data only so that the duplicate check covers them too (it skips unmapped names).
/// Null collection entries and annotation values get through and are refused by the validators.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowDuplicateProperties = false,
    MaxDepth = ManifestJsonContext.MaxDepth)]
[JsonSerializable(typeof(ManifestJson))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext
{
    /// <summary>The deepest nesting accepted anywhere in a manifest, unknown fields included.</summary>
    public const int MaxDepth = 64;
}
