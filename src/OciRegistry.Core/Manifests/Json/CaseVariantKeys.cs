using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>
/// Finds keys that spell a field this registry reads in another case (<c>LAYERS</c> beside <c>layers</c>). Go's
/// encoding/json, which most clients use, matches keys to fields ignoring case and keeps the last match, so such a
/// manifest would be validated here with one layer list and pulled by clients with the other.
/// </summary>
internal static class CaseVariantKeys
{
    private static readonly string[] ManifestFields = FieldsOf(ManifestJsonContext.Default.ManifestJson);
    private static readonly string[] DescriptorFields = FieldsOf(ManifestJsonContext.Default.DescriptorJson);
    private static readonly string[] PlatformFields = FieldsOf(ManifestJsonContext.Default.PlatformJson);

    /// <summary>Returns a sentence naming the first such key in the manifest or its descriptors; null when there is none.</summary>
    public static string? Find(ManifestJson manifest) =>
        Find(manifest.Unknown, ManifestFields, "")
        ?? Find(manifest.Config, "config")
        ?? Find(manifest.Layers, "layers")
        ?? Find(manifest.Manifests, "manifests")
        ?? Find(manifest.Subject, "subject");

    private static string? Find(List<DescriptorJson>? descriptors, string field)
    {
        for (var i = 0; descriptors is not null && i < descriptors.Count; i++)
        {
            if (Find(descriptors[i], $"{field}[{i}]") is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? Find(DescriptorJson? descriptor, string location) =>
        descriptor is null ? null
        : Find(descriptor.Unknown, DescriptorFields, location + ".") ?? Find(descriptor.Platform?.Unknown, PlatformFields, location + ".platform.");

    private static string? Find(Dictionary<string, JsonElement>? unknown, string[] fields, string prefix)
    {
        foreach (var key in unknown?.Keys ?? Enumerable.Empty<string>())
        {
            if (Array.Find(fields, field => string.Equals(field, key, StringComparison.OrdinalIgnoreCase)) is { } field)
            {
                return $"{prefix}{key} is {prefix}{field} in another case; keys must not differ from the fields they name by case only";
            }
        }

        return null;
    }

    private static string[] FieldsOf(JsonTypeInfo type) =>
        type.Properties.Where(p => !p.IsExtensionData).Select(p => p.Name).ToArray();
}
