using OciRegistry.Core.Digests;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>What deleting a tag or a manifest would leave for garbage collection in its repository.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Reference">The tag or digest to delete.</param>
/// <param name="Manifests">Manifests no kept root reaches any more (their own bytes are blobs too, not counted in <paramref name="Blobs"/>).</param>
/// <param name="Blobs">Configs and layers only those manifests use in this repository, with their sizes.</param>
/// <param name="LinkedElsewhere">Those of <paramref name="Manifests"/> and <paramref name="Blobs"/> another repository links: their bytes stay.</param>
/// <param name="UntaggedKept">True when collection keeps untagged manifests (so deleting a tag frees nothing).</param>
public sealed record DeletePreview(
    string Repository,
    string Reference,
    IReadOnlyList<Digest> Manifests,
    IReadOnlyList<(Digest Digest, long Size)> Blobs,
    IReadOnlySet<Digest> LinkedElsewhere,
    bool UntaggedKept)
{
    /// <summary>The configs and layers whose bytes collection would free: <see cref="Blobs"/> no other repository links.</summary>
    public IEnumerable<(Digest Digest, long Size)> CollectableBlobs => Blobs.Where(blob => !LinkedElsewhere.Contains(blob.Digest));

    /// <summary>The configs and layers unlinked from this repository whose bytes stay for other repositories.</summary>
    public IEnumerable<(Digest Digest, long Size)> KeptBlobs => Blobs.Where(blob => LinkedElsewhere.Contains(blob.Digest));

    /// <summary>The bytes of <see cref="CollectableBlobs"/>.</summary>
    public long Bytes => CollectableBlobs.Sum(blob => blob.Size);
}
