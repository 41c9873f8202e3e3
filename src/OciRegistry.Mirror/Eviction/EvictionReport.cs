using OciRegistry.Core.Maintenance;

namespace OciRegistry.Mirror.Eviction;

/// <summary>What one eviction chose, or, for a dry run, would choose.</summary>
/// <param name="DryRun">True when nothing was removed and <paramref name="Images"/> says what would be.</param>
/// <param name="CachedBytes">The cache's size before: manifests and the blobs they name, each digest once, by the sizes the manifests declare.</param>
/// <param name="Images">The images evicted, least recently pulled first.</param>
/// <param name="Collection">
/// The garbage collection run after evicting; null on a dry run, when nothing was evicted, or when another collection
/// held the collector lease (that one, or the next, frees the bytes).
/// </param>
public sealed record EvictionReport(bool DryRun, long CachedBytes, IReadOnlyList<EvictedImage> Images, GcReport? Collection)
{
    /// <summary>The cache's size once the images are gone (the blobs another image still names stay counted).</summary>
    public long RemainingBytes => CachedBytes - Images.Sum(i => i.Bytes);
}
