namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Keep only the newest <see cref="KeepLast"/> tags of each repository that match <see cref="TagPattern"/>; the others
/// are deleted by garbage collection (their manifests then go too when nothing else reaches them).
/// </summary>
/// <remarks>
/// The metadata store keeps no push times, so "newest" means lexically greatest (ordinal order): use sortable tags
/// such as <c>2026.11.25-1</c> or zero-padded build numbers; <c>v1.10</c> sorts before <c>v1.9</c>. Tags matching
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
