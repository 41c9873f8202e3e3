using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>What the metadata store remembers of a manifest linked to a repository (its bytes live in the blob store).</summary>
/// <param name="Digest">The digest of the manifest's bytes.</param>
/// <param name="MediaType">The media type it was pushed with and is served with.</param>
/// <param name="Size">The length of its bytes.</param>
/// <param name="Subject">The digest of the manifest it refers to, when it has a <c>subject</c>.</param>
/// <param name="ArtifactType">Its artifact type (artifactType, else config.mediaType), for the referrers API.</param>
/// <param name="Annotations">Its annotations, for the referrers API.</param>
public sealed record ManifestRecord(
    Digest Digest,
    string MediaType,
    long Size,
    Digest? Subject = null,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null)
{
    /// <summary>
    /// The bytes a pull downloads besides the manifest itself, as its descriptors declare: config and layers for an
    /// image; each child manifest and what it references for an index. Kept so listings can show sizes without
    /// reading manifests; null when not recorded (records written before it was kept).
    /// </summary>
    public long? ReferencedSize { get; init; }

    /// <summary>The platforms of an index's entries as <c>os/architecture[/variant]</c>, in index order; null for an image manifest.</summary>
    public IReadOnlyList<string>? Platforms { get; init; }

    /// <summary>When the manifest was last put into the repository; set by the store on <see cref="IMetadataStore.PutManifestAsync"/>.</summary>
    public DateTimeOffset? PushedAt { get; init; }
}
