namespace OciRegistry.Mirror.Eviction;

/// <summary>
/// When cached images leave the mirror: those not pulled for <see cref="MaxAge"/>, and the least recently pulled while
/// the cache holds more than <see cref="MaxBytes"/>. Off while both are unset (the default): the cache keeps everything.
/// </summary>
/// <remarks>
/// Nothing pulled within the garbage collector's grace period is evicted, and the bytes go through the collector, so a
/// blob another repository (mirrored or not) still uses stays.
/// </remarks>
public sealed class EvictionOptions
{
    /// <summary>The default <see cref="Interval"/>: one hour.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>Evict images not pulled for this long; never by age when unset.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// The cache's size budget in bytes (manifests and the blobs they name, each digest counted once); the least
    /// recently pulled images are evicted until the cache fits. No budget when unset.
    /// </summary>
    public long? MaxBytes { get; set; }

    /// <summary>How often eviction runs while the host serves.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>True when some limit is set.</summary>
    public bool IsEnabled => MaxAge is not null || MaxBytes is not null;

    /// <summary>The problems with these options, one message each naming the setting; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            yield return "OciRegistry:Mirror:Eviction:MaxAge must be positive when set.";
        }

        if (MaxBytes is { } bytes && bytes < 0)
        {
            yield return "OciRegistry:Mirror:Eviction:MaxBytes must not be negative.";
        }

        // A timer's longest period (2^32 - 2 ms, about 49 days).
        if (Interval <= TimeSpan.Zero || Interval.TotalMilliseconds > uint.MaxValue - 1)
        {
            yield return "OciRegistry:Mirror:Eviction:Interval must be positive and at most 49 days.";
        }
    }
}
