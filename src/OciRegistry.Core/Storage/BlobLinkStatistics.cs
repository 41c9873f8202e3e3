namespace OciRegistry.Core.Storage;

/// <summary>The registry's blob links, aggregated by the store from the sizes kept with the links (no blob is read).</summary>
/// <param name="Repositories">Repositories in the registry.</param>
/// <param name="Blobs">Distinct blobs linked to any repository (layers, configs and manifests).</param>
/// <param name="Links">Blob links: (repository, blob) pairs.</param>
/// <param name="Bytes">The bytes of the distinct linked blobs, each once: what storage holds for them.</param>
/// <param name="LinkedBytes">The bytes summed over every link: what storage would hold if each repository kept its own copies.</param>
/// <param name="BlobsOfUnknownSize">Linked blobs whose size no link records (links from before sizes were kept); they count 0 above.</param>
public sealed record BlobLinkStatistics(int Repositories, int Blobs, int Links, long Bytes, long LinkedBytes, int BlobsOfUnknownSize)
{
    /// <summary>Bytes saved by storing each blob once however many repositories link it.</summary>
    public long DedupeSavings => LinkedBytes - Bytes;
}
