namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Keep only the newest <see cref="KeepLast"/> tags of each repository that match <see cref="TagPattern"/>; the others
/// are deleted by garbage collection (their manifests then go too when nothing else reaches them).
/// </summary>
/// <remarks>
/// "Newest" means most recently set (pushed or moved), as the metadata store records it
/// (<see cref="Storage.TagEntry.UpdatedAt"/>); tags set at the same instant are ordered by name, the lexically greater
/// counting as newer. Tags matching
/// <see cref="Operations.RegistryOptions.ImmutableTagPatterns"/> are never deleted. With several rules, a tag is
/// deleted when any rule drops it.
/// </remarks>
public sealed class RetentionRule
{
    /// <summary>A .NET regular expression matched against the whole tag, e.g. <c>build-\d+</c>.</summary>
    public string TagPattern { get; set; } = ".*";

    /// <summary>How many matching tags to keep per repository.</summary>
    public int KeepLast { get; set; }
}
