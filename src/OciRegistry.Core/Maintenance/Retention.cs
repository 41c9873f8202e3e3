using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Maintenance;

/// <summary>Applies <see cref="RetentionRule"/>s to one repository's tags.</summary>
internal static class Retention
{
    /// <summary>The tags some rule drops (beyond its newest <see cref="RetentionRule.KeepLast"/>, lexically), never an immutable one.</summary>
    public static HashSet<string> TagsToDrop(IEnumerable<string> tags, IEnumerable<RetentionRule> rules, IEnumerable<string> immutablePatterns)
    {
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var all = tags.ToList();
        foreach (var rule in rules)
        {
            var pattern = TagPatterns.Compile(rule.TagPattern);
            dropped.UnionWith(all.Where(t => pattern.IsMatch(t)).OrderDescending(StringComparer.Ordinal).Skip(rule.KeepLast));
        }

        if (dropped.Count > 0)
        {
            var immutable = new TagPatterns(immutablePatterns);
            dropped.RemoveWhere(immutable.Matches);
        }

        return dropped;
    }
}
