using OciRegistry.Core.Digests;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>What deleting a tag or a manifest would leave for garbage collection in its repository.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Reference">The tag or digest to delete.</param>
/// <param name="Manifests">Manifests no kept root reaches any more (their own bytes are blobs too, not counted in <paramref name="Blobs"/>).</param>
/// <param name="Blobs">Configs and layers only those manifests use, with their sizes.</param>
/// <param name="UntaggedKept">True when collection keeps untagged manifests (so deleting a tag frees nothing).</param>
public sealed record DeletePreview(string Repository, string Reference, IReadOnlyList<Digest> Manifests, IReadOnlyList<(Digest Digest, long Size)> Blobs, bool UntaggedKept)
{
    /// <summary>The bytes of <see cref="Blobs"/>.</summary>
    public long Bytes => Blobs.Sum(blob => blob.Size);
}
