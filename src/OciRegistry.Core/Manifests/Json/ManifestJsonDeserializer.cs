using System.Text.Json;
using System.Text.Unicode;
using OciRegistry.Core.Errors;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>Turns manifest bytes into their unvalidated wire shape, refusing anything that is not one strict JSON object.</summary>
internal static class ManifestJsonDeserializer
{
    /// <summary>Deserializes <paramref name="utf8"/>; every failure is a MANIFEST_INVALID error, never an exception.</summary>
    public static RegistryResult<ManifestJson> Deserialize(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return RegistryError.ManifestInvalid("the body is not valid UTF-8");
        }

        if (!StartsWithObject(utf8))
        {
            return RegistryError.ManifestInvalid("the body must be a JSON object");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize(utf8, ManifestJsonContext.Default.ManifestJson);
            if (manifest is null)
            {
                return RegistryError.ManifestInvalid("the body must be a JSON object");
            }

            return CaseVariantKeys.Find(manifest) is { } caseVariant ? RegistryError.ManifestInvalid(caseVariant) : manifest;
        }
        catch (JsonException e)
        {
            return RegistryError.ManifestInvalid(JsonErrorMessage.From(e));
        }
    }

    private static bool StartsWithObject(ReadOnlySpan<byte> utf8)
    {
        var start = utf8.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && utf8[start] == (byte)'{';
    }
}
