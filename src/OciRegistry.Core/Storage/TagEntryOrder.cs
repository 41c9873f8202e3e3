namespace OciRegistry.Core.Storage;

/// <summary>The tag orders and name filter of <see cref="TagListQuery"/>, for stores that sort in memory.</summary>
internal sealed class TagEntryOrder : IComparer<TagEntry>
{
    private static readonly TagEntryOrder ByName = new(TagOrder.Name);
    private static readonly TagEntryOrder NewestFirst = new(TagOrder.Newest);
    private static readonly TagEntryOrder OldestFirst = new(TagOrder.Oldest);

    private readonly TagOrder _order;

    private TagEntryOrder(TagOrder order)
    {
        _order = order;
    }

    /// <summary>The comparer of <paramref name="order"/>.</summary>
    public static TagEntryOrder Of(TagOrder order) => order switch
    {
        TagOrder.Newest => NewestFirst,
        TagOrder.Oldest => OldestFirst,
        _ => ByName,
    };

    /// <summary>True when <paramref name="name"/> contains <paramref name="contains"/> without case (null or empty matches all).</summary>
    public static bool Matches(string name, string? contains) =>
        string.IsNullOrEmpty(contains) || name.Contains(contains, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public int Compare(TagEntry x, TagEntry y)
    {
        var byTime = _order switch
        {
            TagOrder.Newest => y.UpdatedAt.CompareTo(x.UpdatedAt),
            TagOrder.Oldest => x.UpdatedAt.CompareTo(y.UpdatedAt),
            _ => 0,
        };
        return byTime != 0 ? byTime : string.CompareOrdinal(x.Name, y.Name);
    }
}
