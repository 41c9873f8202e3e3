namespace OciRegistry.Core.Maintenance;

/// <summary>What <see cref="IntegrityVerifier"/> found.</summary>
public sealed class IntegrityReport
{
    internal IntegrityReport(bool quarantine)
    {
        Quarantine = quarantine;
    }

    /// <summary>True when corrupt blobs were removed from storage.</summary>
    public bool Quarantine { get; }

    /// <summary>How many blobs were re-hashed.</summary>
    public int BlobsChecked { get; internal set; }

    /// <summary>How many bytes were re-hashed.</summary>
    public long BytesChecked { get; internal set; }

    /// <summary>Blobs whose content does not hash to their digest (removed when <see cref="Quarantine"/> is on).</summary>
    public IReadOnlyList<CorruptBlob> CorruptBlobs => Corrupt;

    /// <summary>References from manifests to content the registry does not have (or no longer has, after quarantine).</summary>
    public IReadOnlyList<MissingReference> MissingReferences => Missing;

    /// <summary>True when nothing is corrupt or missing.</summary>
    public bool IsHealthy => Corrupt.Count == 0 && Missing.Count == 0;

    internal List<CorruptBlob> Corrupt { get; } = [];

    internal List<MissingReference> Missing { get; } = [];
}
