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

    /// <summary>The same page from a set already in ordinal order, reading only the items it returns.</summary>
    public static IReadOnlyList<string> PageSorted(SortedSet<string> items, string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0 || items.Count == 0 || (after is not null && string.CompareOrdinal(after, items.Max) >= 0))
        {
            return [];
        }

        var view = after is null ? items : items.GetViewBetween(after, items.Max!);
        return [.. view.Where(item => after is null || string.CompareOrdinal(item, after) > 0).Take(limit)];
    }
}
