using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests.Json;

namespace OciRegistry.Core.Manifests;

/// <summary>Decides a pushed manifest's effective media type from its Content-Type, its <c>mediaType</c> field and its shape.</summary>
internal static class ManifestMediaTypeResolver
{
    /// <summary>
    /// The Content-Type's media type if given, else the body's <c>mediaType</c>, else inferred from the fields present
    /// (<c>manifests</c>: OCI index; <c>config</c>: OCI manifest). It must be one of <see cref="ManifestMediaTypes.IsKnown"/>.
    /// </summary>
    public static RegistryResult<string> Resolve(string? contentType, ManifestJson manifest)
    {
        var header = MediaTypeOf(contentType);
        if (header is not null && manifest.MediaType is not null && !string.Equals(header, manifest.MediaType, StringComparison.Ordinal))
        {
            return RegistryError.ManifestInvalid($"mediaType in body {manifest.MediaType} does not match Content-Type {header}");
        }

        var mediaType = header ?? manifest.MediaType ?? Infer(manifest);
        if (mediaType is null)
        {
            return RegistryError.ManifestInvalid("no Content-Type, no mediaType field, and neither manifests nor config to infer the media type from");
        }

        return ManifestMediaTypes.IsKnown(mediaType)
            ? mediaType
            : RegistryError.ManifestInvalid($"unsupported manifest media type {mediaType}");
    }

    /// <summary>The media type part of a Content-Type header (parameters such as <c>charset</c> dropped), or null when there is none.</summary>
    public static string? MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType.AsSpan() : contentType.AsSpan(0, semicolon)).Trim();
        if (mediaType.IsEmpty)
        {
            return null;
        }

        return mediaType.Length == contentType.Length ? contentType : mediaType.ToString();
    }

    private static string? Infer(ManifestJson manifest) =>
        manifest.Manifests is not null ? ManifestMediaTypes.OciIndex
        : manifest.Config is not null ? ManifestMediaTypes.OciManifest
        : null;
}
