using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>One repository's links and tags in an <see cref="InMemoryMetadataStore"/>; guarded by the store's lock.</summary>
internal sealed class RepositoryMetadata
{
    /// <summary>Each linked blob with when it was last linked and its size.</summary>
    public Dictionary<Digest, (DateTimeOffset LinkedAt, long Size)> BlobLinks { get; } = [];

    /// <summary>The sizes of <see cref="BlobLinks"/> summed, kept as links come and go.</summary>
    public long Size { get; set; }

    public Dictionary<Digest, StoredManifest> Manifests { get; } = [];

    public Dictionary<string, (Digest Digest, DateTimeOffset UpdatedAt)> Tags { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => BlobLinks.Count == 0 && Manifests.Count == 0 && Tags.Count == 0;

    /// <summary>True when a manifest is stored under <paramref name="digest"/> or any manifest references it.</summary>
    public bool IsReferenced(Digest digest) =>
        Manifests.ContainsKey(digest) || Manifests.Values.Any(m => m.References.Blobs.Contains(digest) || m.References.Manifests.Contains(digest));
}

/// <summary>A manifest record with what it references and when it was pushed.</summary>
internal sealed record StoredManifest(ManifestRecord Record, ManifestReferences References, DateTimeOffset PushedAt);
