using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>A tag as listed by <see cref="IMetadataStore.GetTagsAsync"/>.</summary>
/// <param name="Name">The tag.</param>
/// <param name="Digest">The manifest it points at.</param>
/// <param name="UpdatedAt">When it was last pointed at a manifest (retention keeps the most recent).</param>
public readonly record struct TagEntry(string Name, Digest Digest, DateTimeOffset UpdatedAt);
