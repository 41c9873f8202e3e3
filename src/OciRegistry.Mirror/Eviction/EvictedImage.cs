using OciRegistry.Core.Digests;
using OciRegistry.Core.References;

namespace OciRegistry.Mirror.Eviction;

/// <summary>A cached image chosen for eviction.</summary>
/// <param name="Repository">Its repository in this registry (under the upstream's name).</param>
/// <param name="Digest">Its manifest (an index's platform manifests are images of their own).</param>
/// <param name="LastUsed">When it was last pulled (a referrer: its subject too); when it was cached if never pulled.</param>
/// <param name="Bytes">The bytes only it held in the cache: its manifest and the blobs no image left names.</param>
public sealed record EvictedImage(RepositoryName Repository, Digest Digest, DateTimeOffset LastUsed, long Bytes);
