namespace OciRegistry.Core.Storage;

/// <summary>How <see cref="IMetadataStore.ListTagEntriesAsync"/> orders a repository's tags.</summary>
public enum TagOrder
{
    /// <summary>By name, ordinal.</summary>
    Name,

    /// <summary>Most recently set first; ties by name.</summary>
    Newest,

    /// <summary>Least recently set first; ties by name.</summary>
    Oldest,
}

/// <summary>A keyset page of a repository's tags.</summary>
/// <param name="Contains">Only tags whose names contain this, ASCII letters compared without case; null or empty for all.</param>
/// <param name="Order">The order.</param>
/// <param name="After">The last entry of the previous page (its name and time are the cursor), excluded; null for the first page.</param>
/// <param name="Limit">At most this many entries.</param>
public sealed record TagListQuery(string? Contains, TagOrder Order, TagEntry? After, int Limit);
