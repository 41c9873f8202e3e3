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

/// <summary>A keyset page of tags, how many tags matched the filter, and the cursor of the next page (null on the last).</summary>
public sealed record TagPage(IReadOnlyList<TagRow> Items, int Matched, string? Next);
