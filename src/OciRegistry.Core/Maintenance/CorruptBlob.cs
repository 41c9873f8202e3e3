using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Maintenance;

/// <summary>A stored blob whose bytes do not match its digest.</summary>
/// <param name="Digest">The digest it is stored under.</param>
/// <param name="Actual">What its bytes hash to.</param>
/// <param name="Size">How many bytes it holds.</param>
/// <param name="Quarantined">True when it was removed from storage.</param>
public readonly record struct CorruptBlob(Digest Digest, Digest Actual, long Size, bool Quarantined);
