using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Maintenance;

/// <summary>How <see cref="GarbageCollector"/> decides what to keep. Bound from configuration section <c>OciRegistry:Gc</c> by the hosts.</summary>
public sealed class GarbageCollectionOptions
{
    /// <summary>The default <see cref="GracePeriod"/>: one hour.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the background service collects; <c>null</c> (the default) never. The collection runs while the
    /// registry serves requests.
    /// </summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>
    /// Blobs and manifests committed more recently than this are never collected, so a push in progress (blobs
    /// uploaded, manifest not yet put) keeps its blobs. Must be longer than the slowest push.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = DefaultGracePeriod;

    /// <summary>
    /// Whether manifests no tag reaches (directly, as an index child, or as a referrer of a reachable manifest) are
    /// deleted. Off by default: manifests pushed by digest only are kept.
    /// </summary>
    public bool DeleteUntaggedManifests { get; set; }

    /// <summary>
    /// How long the collector lease lasts without renewal. A collection renews it as it goes (every quarter of this);
    /// when the collector is killed, the next collection can start once this has passed. Default 2 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retention rules: tags beyond the newest N of a pattern are deleted before marking.</summary>
    public IList<RetentionRule> Retention { get; } = [];

    /// <summary>Returns the problems with these options, one sentence each naming the option; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (Interval is { } interval && interval <= TimeSpan.Zero)
        {
            yield return $"OciRegistry:Gc:{nameof(Interval)} must be positive when set (was {interval}).";
        }

        if (GracePeriod < TimeSpan.Zero)
        {
            yield return $"OciRegistry:Gc:{nameof(GracePeriod)} must not be negative (was {GracePeriod}).";
        }

        if (LeaseDuration <= TimeSpan.Zero)
        {
            yield return $"OciRegistry:Gc:{nameof(LeaseDuration)} must be positive (was {LeaseDuration}).";
        }

        for (var i = 0; i < Retention.Count; i++)
        {
            var rule = Retention[i];
            if (rule.KeepLast < 0)
            {
                yield return $"OciRegistry:Gc:{nameof(Retention)}:{i}:{nameof(RetentionRule.KeepLast)} must not be negative (was {rule.KeepLast}).";
            }

            if (TagPatterns.Problem(rule.TagPattern) is { } problem)
            {
                yield return $"OciRegistry:Gc:{nameof(Retention)}:{i}:{nameof(RetentionRule.TagPattern)} is not a valid pattern: {problem}";
            }
        }
    }
}
