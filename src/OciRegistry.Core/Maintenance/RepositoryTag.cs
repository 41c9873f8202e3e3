using OciRegistry.Core.References;
namespace OciRegistry.Core.Maintenance;

/// <summary>A tag of a repository.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Tag">The tag.</param>
public readonly record struct RepositoryTag(RepositoryName Repository, string Tag);
