namespace OciRegistry.Core.Maintenance;

/// <summary>What <see cref="IntegrityVerifier"/> did, repairing, about a <see cref="MissingReference"/>.</summary>
public enum RepairOutcome
{
    /// <summary>Not repaired (not asked to, or nothing could put it back): clients still cannot be served.</summary>
    None,

    /// <summary>The blob's bytes were stored and hash to its digest; it was linked to the repository again.</summary>
    Relinked,

    /// <summary>The manifest's bytes were stored with everything they reference; it was stored in the repository again (with its tag).</summary>
    RestoredManifest,

    /// <summary>The tag pointed at a manifest that could not be restored; the tag was removed so it no longer points at nothing.</summary>
    RemovedTag,
}
