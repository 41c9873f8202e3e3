using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Maintenance;

/// <summary>A digest within a repository.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Digest">The manifest's or blob's digest.</param>
public readonly record struct RepositoryDigest(RepositoryName Repository, Digest Digest);
