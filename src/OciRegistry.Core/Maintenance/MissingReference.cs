using OciRegistry.Core.References;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Something a client relies on that the registry cannot serve: a manifest's own bytes, config, layer (not stored, or
/// not linked to the repository) or child manifest; a tag's manifest (then <paramref name="Manifest"/> and
/// <paramref name="Missing"/> are both the tag's target, and <see cref="Tag"/> names the tag); or a linked blob that is
/// not stored (both the blob).
/// </summary>
/// <param name="Repository">The repository.</param>
/// <param name="Manifest">The manifest's digest (or the tag's target, or the linked blob).</param>
/// <param name="Missing">The digest that cannot be served.</param>
public readonly record struct MissingReference(RepositoryName Repository, Digest Manifest, Digest Missing)
{
    /// <summary>The tag whose manifest is missing; null for the other kinds.</summary>
    public string? Tag { get; init; }

    /// <summary>What <c>verify --repair</c> did about it; <see cref="RepairOutcome.None"/> when it is still missing.</summary>
    public RepairOutcome Repair { get; init; }
}
