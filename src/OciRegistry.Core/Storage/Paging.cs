namespace OciRegistry.Core.Storage;

/// <summary>The start-after cursor and limit shared by every listing of the metadata stores.</summary>
internal static class Paging
{
    /// <summary>Sorts <paramref name="items"/> ordinally and returns at most <paramref name="limit"/> of those after <paramref name="after"/>.</summary>
    public static IReadOnlyList<string> Page(IEnumerable<string> items, string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var page = new List<string>(Math.Min(limit, 1024));
        if (limit == 0)
        {
            return page;
        }

        foreach (var item in items.Order(StringComparer.Ordinal))
        {
            if (after is not null && string.CompareOrdinal(item, after) <= 0)
            {
                continue;
            }

            page.Add(item);
            if (page.Count == limit)
            {
                break;
            }
        }

        return page;
    }
}
