namespace OciRegistry.Core.Manifests;

/// <summary>The role of a descriptor inside a manifest.</summary>
public enum ReferenceKind
{
    /// <summary>The image configuration (a blob).</summary>
    Config,

    /// <summary>A layer (a blob).</summary>
    Layer,

    /// <summary>A child manifest of an index.</summary>
    Manifest,

    /// <summary>The manifest this one refers to (may be absent: the referrers API allows pushing it first).</summary>
    Subject,
}
