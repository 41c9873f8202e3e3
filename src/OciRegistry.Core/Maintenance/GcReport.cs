using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

/// <summary>What a garbage collection deleted, or, for a dry run, would delete.</summary>
public sealed class GcReport
{
    internal GcReport(bool dryRun)
    {
        DryRun = dryRun;
    }

    /// <summary>True when nothing was deleted and the lists say what would be.</summary>
    public bool DryRun { get; }

    /// <summary>Tags removed by retention rules.</summary>
    public IReadOnlyList<RepositoryTag> DeletedTags => Tags;

    /// <summary>Manifests unlinked from their repository (unreachable from any kept tag).</summary>
    public IReadOnlyList<RepositoryDigest> DeletedManifests => Manifests;

    /// <summary>Blob links removed from repositories (no kept manifest of the repository uses the blob).</summary>
    public IReadOnlyList<RepositoryDigest> UnlinkedBlobs => Links;

    /// <summary>Blobs (layers, configs and manifests' bytes) deleted from storage because no repository links them.</summary>
    public IReadOnlyList<BlobEntry> DeletedBlobs => Blobs;

    /// <summary>The bytes of <see cref="DeletedBlobs"/>.</summary>
    public long BytesFreed => Blobs.Sum(b => b.Size);

    /// <summary>Expired upload sessions removed (always 0 on a dry run).</summary>
    public int ExpiredUploads { get; internal set; }

    internal List<RepositoryTag> Tags { get; } = [];

    internal List<RepositoryDigest> Manifests { get; } = [];

    internal List<RepositoryDigest> Links { get; } = [];

    internal List<BlobEntry> Blobs { get; } = [];
}
