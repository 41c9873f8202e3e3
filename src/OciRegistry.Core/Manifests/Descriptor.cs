using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Manifests;

/// <summary>An OCI content descriptor: what a manifest says about content it references.</summary>
public sealed class Descriptor
{
    /// <summary>The referenced content's media type.</summary>
    public required string MediaType { get; init; }

    /// <summary>The referenced content's digest.</summary>
    public required Digest Digest { get; init; }

    /// <summary>The referenced content's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Where else the content may be fetched from.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Arbitrary metadata.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Embedded content (base64 in JSON).</summary>
    public byte[]? Data { get; init; }

    /// <summary>The artifact type of the referenced manifest (index entries, referrers).</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The platform (index entries).</summary>
    public Platform? Platform { get; init; }

    /// <summary>
    /// Whether the content may live outside the registry: a non-distributable media type, or <see cref="Urls"/> to
    /// fetch it from. A registry need not hold such a layer, so its existence is not checked when a manifest is pushed.
    /// </summary>
    public bool IsNonDistributable => Urls is { Count: > 0 } || ManifestMediaTypes.IsNonDistributableLayer(MediaType);
}
