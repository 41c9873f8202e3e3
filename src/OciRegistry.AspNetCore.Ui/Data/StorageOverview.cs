namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>The registry's storage at a glance.</summary>
/// <param name="Blobs">Blobs stored (layers, configs and manifests), each once.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Repositories">Repositories.</param>
/// <param name="Links">Blob links: how many (repository, blob) pairs there are.</param>
/// <param name="LinkedBytes">What storage would hold if every repository kept its own copy of each blob it links.</param>
public sealed record StorageOverview(int Blobs, long Bytes, int Repositories, int Links, long LinkedBytes)
{
    /// <summary>Bytes saved by storing each blob once however many repositories link it.</summary>
    public long DedupeSavings => Math.Max(0, LinkedBytes - Bytes);
}
