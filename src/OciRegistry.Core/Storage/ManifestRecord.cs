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
    IReadOnlyDictionary<string, string>? Annotations = null);
