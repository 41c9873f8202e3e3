namespace OciRegistry.Core.Manifests;

/// <summary>The platform an index entry's image runs on.</summary>
public sealed class Platform
{
    /// <summary>CPU architecture, e.g. <c>amd64</c>.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Operating system, e.g. <c>linux</c>.</summary>
    public string Os { get; init; } = "";

    /// <summary>Operating system version.</summary>
    public string? OsVersion { get; init; }

    /// <summary>Required OS features.</summary>
    public IReadOnlyList<string>? OsFeatures { get; init; }

    /// <summary>CPU variant, e.g. <c>v8</c>.</summary>
    public string? Variant { get; init; }

    /// <summary>The platform as <c>os/architecture[/variant]</c>, e.g. <c>linux/arm64/v8</c>.</summary>
    public override string ToString() => string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
