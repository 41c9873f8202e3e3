using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Upstream;

/// <summary>When <paramref name="Digest"/> was last pulled from its repository.</summary>
/// <param name="Digest">The manifest pulled.</param>
/// <param name="PulledAt">The latest pull recorded.</param>
public readonly record struct PullRecord(Digest Digest, DateTimeOffset PulledAt);
