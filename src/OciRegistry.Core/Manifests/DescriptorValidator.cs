using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests.Json;

namespace OciRegistry.Core.Manifests;

/// <summary>Checks a descriptor's wire shape against the OCI descriptor rules and makes the <see cref="Descriptor"/>.</summary>
internal static class DescriptorValidator
{
    /// <summary>
    /// Validates <paramref name="json"/>, found at <paramref name="field"/> (and <paramref name="index"/> when it is an
    /// array entry, else -1), the location named in error messages.
    /// </summary>
    public static RegistryResult<Descriptor> Validate(DescriptorJson? json, string field, int index = -1)
    {
        if (json is null)
        {
            return Invalid(field, index, "", "must be a descriptor object");
        }

        if (string.IsNullOrEmpty(json.MediaType))
        {
            return Invalid(field, index, ".mediaType", "is required");
        }

        if (json.Digest is null)
        {
            return Invalid(field, index, ".digest", "is required");
        }

        switch (Digest.TryParse(json.Digest.AsSpan(), out var digest))
        {
            case DigestParseStatus.Valid:
                break;
            case DigestParseStatus.UnsupportedAlgorithm:
                return Invalid(field, index, ".digest", "uses an unsupported algorithm (supported: sha256, sha512)");
            default:
                return Invalid(field, index, ".digest", "is not a valid digest");
        }

        if (json.Size is not { } size)
        {
            return Invalid(field, index, ".size", "is required");
        }

        if (size < 0)
        {
            return Invalid(field, index, ".size", "must not be negative");
        }

        if (json.Urls is not null && json.Urls.Contains(null!))
        {
            return Invalid(field, index, ".urls", "must contain only strings");
        }

        if (json.Annotations is not null && !AnnotationsValidator.AreValid(json.Annotations))
        {
            return Invalid(field, index, ".annotations", "values must be strings");
        }

        if (json.Data is not null)
        {
            if (json.Data.Length != size)
            {
                return Invalid(field, index, ".data", $"is {json.Data.Length} bytes but size is {size}");
            }

            if (DigestHasher.Compute(json.Data, digest.Algorithm) != digest)
            {
                return Invalid(field, index, ".data", "does not match digest");
            }
        }

        var platform = json.Platform is null ? null : PlatformOf(json.Platform);
        if (json.Platform is not null && platform is null)
        {
            return Invalid(field, index, ".platform", "needs architecture and os, and only strings in os.features");
        }

        return new Descriptor
        {
            MediaType = json.MediaType,
            Digest = digest,
            Size = size,
            Urls = json.Urls,
            Annotations = json.Annotations,
            Data = json.Data,
            ArtifactType = json.ArtifactType,
            Platform = platform,
        };
    }

    private static Platform? PlatformOf(PlatformJson json)
    {
        if (string.IsNullOrEmpty(json.Architecture) || string.IsNullOrEmpty(json.Os) || (json.OsFeatures?.Contains(null!) ?? false))
        {
            return null;
        }

        return new Platform
        {
            Architecture = json.Architecture,
            Os = json.Os,
            OsVersion = json.OsVersion,
            OsFeatures = json.OsFeatures,
            Variant = json.Variant,
        };
    }

    private static RegistryError Invalid(string field, int index, string member, string problem) =>
        RegistryError.ManifestInvalid(index < 0 ? $"{field}{member} {problem}" : $"{field}[{index}]{member} {problem}");
}
