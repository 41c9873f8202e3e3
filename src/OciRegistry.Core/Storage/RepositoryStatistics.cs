namespace OciRegistry.Core.Storage;

/// <summary>A repository at a glance, aggregated by the store (counts, sums and maxima, never a walk in the caller).</summary>
/// <param name="Tags">How many tags it has.</param>
/// <param name="Manifests">How many manifests are linked to it (images, indexes, referrers).</param>
/// <param name="BlobLinks">How many blobs are linked to it (layers, configs and manifests).</param>
/// <param name="LargestPull">
/// The most bytes one pull of it downloads: the largest manifest plus what it references
/// (<see cref="ManifestRecord.ReferencedSize"/>); 0 when it has no manifest.
/// </param>
/// <param name="LastPush">When a manifest was last put or a tag last set; null when it has neither.</param>
public sealed record RepositoryStatistics(int Tags, int Manifests, int BlobLinks, long LargestPull, DateTimeOffset? LastPush)
{
    /// <summary>A repository that does not exist: nothing counted, never pushed.</summary>
    public static RepositoryStatistics Empty { get; } = new(0, 0, 0, 0, null);

    /// <summary>
    /// The bytes of the blobs linked to it, each blob once however many of its manifests share it (what the repository
    /// holds, not what its pulls download); blobs of unknown size count 0.
    /// </summary>
    public long Size { get; init; }

    /// <summary>
    /// Linked blobs whose size the store does not know: links recorded before sizes were kept. A push, mount or
    /// pull-through of the blob into the repository records it.
    /// </summary>
    public int BlobsOfUnknownSize { get; init; }
}
