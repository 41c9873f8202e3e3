using OciRegistry.Core.Errors;

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
    public static RegistryResult<Manifest> Parse(ReadOnlyMemory<byte> bytes, string? contentType, int maxBytes = DefaultMaxBytes) =>
        throw new NotImplementedException();
}
