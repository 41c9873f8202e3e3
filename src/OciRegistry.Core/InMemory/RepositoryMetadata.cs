using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>One repository's links and tags in an <see cref="InMemoryMetadataStore"/>; guarded by the store's lock.</summary>
internal sealed class RepositoryMetadata
{
    public HashSet<Digest> BlobLinks { get; } = [];

    public Dictionary<Digest, ManifestRecord> Manifests { get; } = [];

    public Dictionary<string, (Digest Digest, DateTimeOffset UpdatedAt)> Tags { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => BlobLinks.Count == 0 && Manifests.Count == 0 && Tags.Count == 0;
}
