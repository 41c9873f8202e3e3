using OciRegistry.Core.Digests;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>One row of a repository's tag list, all from metadata (no manifest or blob is read).</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Digest">The manifest it points at.</param>
/// <param name="MediaType">The manifest's media type.</param>
/// <param name="Platforms">An index's platforms; empty for an image manifest.</param>
/// <param name="Size">The manifest with everything it references; null when the record predates sizes.</param>
/// <param name="PushedAt">When the tag was last pointed at its manifest.</param>
public sealed record TagRow(string Tag, Digest Digest, string MediaType, IReadOnlyList<string> Platforms, long? Size, DateTimeOffset PushedAt);

/// <summary>How the tag list is ordered.</summary>
public enum TagOrder
{
    /// <summary>By name, A to Z.</summary>
    Name,

    /// <summary>Most recently pushed first.</summary>
    Newest,

    /// <summary>Least recently pushed first.</summary>
    Oldest,
}

/// <summary>A page of tags and how many tags matched the filter.</summary>
public sealed record TagPage(IReadOnlyList<TagRow> Items, int Matched, int PageNumber, int PageCount);
