using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Manifests;

/// <summary>
/// A parsed, validated manifest: a read-only view over the exact bytes that were pushed. The bytes are what is
/// stored and served; this view is never serialized back.
/// </summary>
public sealed class Manifest
{
    /// <summary>The bytes exactly as pushed.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>The sha256 digest of <see cref="Bytes"/>.</summary>
    public required Digest Digest { get; init; }

    /// <summary>The effective media type: the Content-Type it was pushed with, else its <c>mediaType</c> field.</summary>
    public required string MediaType { get; init; }

    /// <summary>Always 2.</summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>True for an OCI index or Docker manifest list.</summary>
    public bool IsIndex => ManifestMediaTypes.IsIndex(MediaType);

    /// <summary>The config descriptor (image manifests).</summary>
    public Descriptor? Config { get; init; }

    /// <summary>The layers (image manifests); empty for an index.</summary>
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>The child manifests (indexes); empty for an image manifest.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>The manifest this one refers to, for the referrers API.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>The <c>artifactType</c> field.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The manifest's annotations.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The artifact type reported by the referrers API: <c>artifactType</c>, else the config's media type.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? Config?.MediaType;

    /// <summary>Everything the manifest references, with each descriptor's role: config, layers, child manifests, subject.</summary>
    public IEnumerable<(Descriptor Descriptor, ReferenceKind Kind)> References
    {
        get
        {
            if (Config is not null)
            {
                yield return (Config, ReferenceKind.Config);
            }

            foreach (var layer in Layers)
            {
                yield return (layer, ReferenceKind.Layer);
            }

            foreach (var child in Manifests)
            {
                yield return (child, ReferenceKind.Manifest);
            }

            if (Subject is not null)
            {
                yield return (Subject, ReferenceKind.Subject);
            }
        }
    }
}
