namespace OciRegistry.Mirror.Transfer;

/// <summary>What a transfer did.</summary>
/// <param name="Images">Tagged images (and untagged entries) copied or found complete.</param>
/// <param name="Manifests">Manifests written (children, referrers and images themselves); ones already there are not counted.</param>
/// <param name="Blobs">Blobs written; ones already there are not counted, so a repeated transfer reports 0.</param>
/// <param name="Bytes">Bytes of the blobs written.</param>
public sealed record TransferSummary(int Images, int Manifests, int Blobs, long Bytes);
