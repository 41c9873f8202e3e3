using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Maintenance;

/// <summary>A manifest of a repository that references content the registry cannot serve.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Manifest">The manifest's digest.</param>
/// <param name="Missing">The digest that cannot be served: the manifest's own bytes, a config, a layer or a child manifest.</param>
public readonly record struct MissingReference(string Repository, Digest Manifest, Digest Missing);
