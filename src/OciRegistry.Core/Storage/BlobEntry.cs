using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>A committed blob as listed by <see cref="IBlobStore.ListAsync"/>.</summary>
/// <param name="Digest">The blob's digest.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="CommittedAt">When it was committed (garbage collection spares young blobs).</param>
public readonly record struct BlobEntry(Digest Digest, long Size, DateTimeOffset CommittedAt);
