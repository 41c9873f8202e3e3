using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>How <see cref="IMetadataStore.PutManifestAsync"/> ended; nothing changed unless <see cref="Stored"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Missing">With <see cref="ManifestPutStatus.MissingReference"/>, the first reference not in the repository.</param>
public readonly record struct ManifestPutResult(ManifestPutStatus Status, Digest Missing = default)
{
    /// <summary>True when the manifest (and its tag) were stored.</summary>
    public bool Stored => Status == ManifestPutStatus.Stored;
}

/// <summary>The outcomes of <see cref="IMetadataStore.PutManifestAsync"/>.</summary>
public enum ManifestPutStatus
{
    /// <summary>The manifest, its blob link, its references and its tag are stored.</summary>
    Stored,

    /// <summary>A referenced blob is not linked to the repository, or a child manifest is not in it.</summary>
    MissingReference,

    /// <summary>The tag is immutable and points at another manifest.</summary>
    TagImmutable,

    /// <summary>
    /// A collector is deleting the bytes stored under the manifest's digest (<see cref="IMetadataStore.BeginBlobDeletionAsync"/>):
    /// retry once the deletion has ended, storing the bytes again.
    /// </summary>
    BlobDeleting,
}
