using OciRegistry.Core.Storage;
using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Maintenance;

/// <summary>Applies <see cref="RetentionRule"/>s to one repository's tags.</summary>
internal static class Retention
{
    /// <summary>
    /// The tags some rule drops: those of its pattern beyond the <see cref="RetentionRule.KeepLast"/> most recently set
    /// (ties broken by the lexically greater name), never an immutable one.
    /// </summary>
    public static HashSet<string> TagsToDrop(IReadOnlyList<TagEntry> tags, IEnumerable<RetentionRule> rules, IEnumerable<string> immutablePatterns)
    {
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var pattern = TagPatterns.Compile(rule.TagPattern);
            dropped.UnionWith(tags
                .Where(t => pattern.IsMatch(t.Name))
                .OrderByDescending(t => t.UpdatedAt)
                .ThenByDescending(t => t.Name, StringComparer.Ordinal)
                .Skip(rule.KeepLast)
                .Select(t => t.Name));
        }

        if (dropped.Count > 0)
        {
            var immutable = new TagPatterns(immutablePatterns);
            dropped.RemoveWhere(immutable.Matches);
        }

        return dropped;
    }
}
