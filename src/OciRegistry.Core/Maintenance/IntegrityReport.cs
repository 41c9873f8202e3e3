namespace OciRegistry.Core.Maintenance;

/// <summary>What <see cref="IntegrityVerifier"/> found.</summary>
public sealed class IntegrityReport
{
    internal IntegrityReport(bool quarantine, bool repair)
    {
        Quarantine = quarantine;
        Repair = repair;
    }

    /// <summary>True when corrupt blobs were removed from storage.</summary>
    public bool Quarantine { get; }

    /// <summary>True when what could be put back was (see <see cref="MissingReference.Repair"/>).</summary>
    public bool Repair { get; }

    /// <summary>How many blobs were re-hashed.</summary>
    public int BlobsChecked { get; internal set; }

    /// <summary>How many bytes were re-hashed.</summary>
    public long BytesChecked { get; internal set; }

    /// <summary>Blobs whose content does not hash to their digest (removed when <see cref="Quarantine"/> is on).</summary>
    public IReadOnlyList<CorruptBlob> CorruptBlobs => Corrupt;

    /// <summary>References from manifests to content the registry does not have (or no longer has, after quarantine).</summary>
    public IReadOnlyList<MissingReference> MissingReferences => Missing;

    /// <summary>True when nothing is corrupt, and nothing is missing that was not repaired.</summary>
    public bool IsHealthy => Corrupt.Count == 0 && Missing.All(m => m.Repair != RepairOutcome.None);

    internal List<CorruptBlob> Corrupt { get; } = [];

    internal List<MissingReference> Missing { get; } = [];
}
