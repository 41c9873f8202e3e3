using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Mirror.Eviction;

/// <summary>One cached manifest, when it was last in use, and what it holds in the blob store (itself, and the blobs it names that are cached) with their sizes.</summary>
internal sealed record CachedImage(RepositoryName Repository, Digest Digest, DateTimeOffset LastUsed, IReadOnlyList<(Digest Digest, long Size)> Contents);
