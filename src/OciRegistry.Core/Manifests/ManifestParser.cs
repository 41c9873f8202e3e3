using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests.Json;

namespace OciRegistry.Core.Manifests;

/// <summary>Parses and validates pushed manifest bytes into a <see cref="Manifest"/> view.</summary>
public static class ManifestParser
{
    /// <summary>The default largest manifest accepted: 4 MiB, as CNCF Distribution.</summary>
    public const int DefaultMaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Parses <paramref name="bytes"/> pushed with <paramref name="contentType"/> (may be null or empty).
    /// Every failure is a MANIFEST_INVALID <see cref="RegistryError"/> (size over <paramref name="maxBytes"/> too); never throws for bad input.
    /// </summary>
    /// <remarks>
    /// The returned manifest's <see cref="Manifest.Bytes"/> is <paramref name="bytes"/> itself, not a copy, and its
    /// <see cref="Manifest.Digest"/> is the sha256 of exactly those bytes. Unknown fields are allowed.
    /// </remarks>
    public static RegistryResult<Manifest> Parse(ReadOnlyMemory<byte> bytes, string? contentType, int maxBytes = DefaultMaxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return RegistryError.ManifestInvalid($"the manifest is {bytes.Length} bytes, over the limit of {maxBytes} bytes");
        }

        if (bytes.IsEmpty)
        {
            return RegistryError.ManifestInvalid("the body is empty");
        }

        var json = ManifestJsonDeserializer.Deserialize(bytes.Span);
        if (!json.IsSuccess)
        {
            return json.Error;
        }

        var manifest = json.Value;
        if (manifest.SchemaVersion != 2)
        {
            return RegistryError.ManifestInvalid(manifest.SchemaVersion is null ? "schemaVersion is required" : $"schemaVersion must be 2, not {manifest.SchemaVersion}");
        }

        var mediaType = ManifestMediaTypeResolver.Resolve(contentType, manifest);
        if (!mediaType.IsSuccess)
        {
            return mediaType.Error;
        }

        var shape = ManifestMediaTypes.IsIndex(mediaType.Value) ? CheckIndexShape(manifest) : CheckImageShape(manifest);
        if (shape is not null)
        {
            return shape;
        }

        return Build(bytes, mediaType.Value, manifest);
    }

    private static RegistryError? CheckImageShape(ManifestJson manifest) =>
        manifest.Manifests is not null ? RegistryError.ManifestInvalid("an image manifest must not have manifests")
        : manifest.Config is null ? RegistryError.ManifestInvalid("config is required in an image manifest")
        : manifest.Layers is null ? RegistryError.ManifestInvalid("layers is required in an image manifest")
        : null;

    private static RegistryError? CheckIndexShape(ManifestJson manifest) =>
        manifest.Config is not null || manifest.Layers is not null ? RegistryError.ManifestInvalid("an index must not have config or layers")
        : manifest.Manifests is null ? RegistryError.ManifestInvalid("manifests is required in an index")
        : null;

    private static RegistryResult<Manifest> Build(ReadOnlyMemory<byte> bytes, string mediaType, ManifestJson manifest)
    {
        Descriptor? config = null;
        if (manifest.Config is not null)
        {
            var result = DescriptorValidator.Validate(manifest.Config, "config");
            if (!result.IsSuccess)
            {
                return result.Error;
            }

            config = result.Value;
        }

        var layers = ValidateAll(manifest.Layers, "layers");
        if (!layers.IsSuccess)
        {
            return layers.Error;
        }

        var children = ValidateAll(manifest.Manifests, "manifests");
        if (!children.IsSuccess)
        {
            return children.Error;
        }

        Descriptor? subject = null;
        if (manifest.Subject is not null)
        {
            var result = DescriptorValidator.Validate(manifest.Subject, "subject");
            if (!result.IsSuccess)
            {
                return result.Error;
            }

            subject = result.Value;
        }

        if (manifest.Annotations is not null && !AnnotationsValidator.AreValid(manifest.Annotations))
        {
            return RegistryError.ManifestInvalid("annotations values must be strings");
        }

        return new Manifest
        {
            Bytes = bytes,
            Digest = DigestHasher.Compute(bytes.Span),
            MediaType = mediaType,
            Config = config,
            Layers = layers.Value,
            Manifests = children.Value,
            Subject = subject,
            ArtifactType = manifest.ArtifactType,
            Annotations = manifest.Annotations,
        };
    }

    private static RegistryResult<Descriptor[]> ValidateAll(List<DescriptorJson>? descriptors, string field)
    {
        if (descriptors is null || descriptors.Count == 0)
        {
            return Array.Empty<Descriptor>();
        }

        var validated = new Descriptor[descriptors.Count];
        for (var i = 0; i < validated.Length; i++)
        {
            var result = DescriptorValidator.Validate(descriptors[i], field, i);
            if (!result.IsSuccess)
            {
                return result.Error;
            }

            validated[i] = result.Value;
        }

        return validated;
    }
}
