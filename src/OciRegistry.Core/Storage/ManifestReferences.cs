using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// What a manifest needs in its repository: the blobs it references (config, layers) and its child manifests (an
/// index's entries). <see cref="IMetadataStore.PutManifestAsync"/> checks them and records them in the same
/// transaction, so garbage collection can never unlink what a stored manifest needs.
/// </summary>
/// <param name="Blobs">Blobs that must be linked to the repository.</param>
/// <param name="Manifests">Manifests that must be stored in the repository.</param>
public sealed record ManifestReferences(IReadOnlyCollection<Digest> Blobs, IReadOnlyCollection<Digest> Manifests)
{
    /// <summary>No references (an artifact without blobs, or a test record).</summary>
    public static ManifestReferences None { get; } = new([], []);

    /// <summary>Every referenced digest, blobs first.</summary>
    public IEnumerable<Digest> All => Blobs.Concat(Manifests);
}
