namespace OciRegistry.Mirror.Eviction;

/// <summary>
/// Evicts cached images by the limits of <see cref="EvictionOptions"/>: what the mirror runs every
/// <see cref="EvictionOptions.Interval"/>, and what an operator runs once (<c>oci-registry evict</c>) to preview or apply.
/// </summary>
public interface IMirrorEviction
{
    /// <summary>
    /// Chooses the images the limits evict (none when no limit is set) and, unless <paramref name="dryRun"/>, removes
    /// them and runs a garbage collection that frees the bytes nothing else uses. A dry run changes nothing.
    /// </summary>
    Task<EvictionReport> EvictAsync(bool dryRun, CancellationToken cancellationToken = default);
}
