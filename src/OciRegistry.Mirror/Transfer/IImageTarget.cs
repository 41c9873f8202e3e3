using OciRegistry.Core.Digests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>Where a transfer writes images. Every write is idempotent, so a transfer run again resumes where it stopped.</summary>
internal interface IImageTarget : IAsyncDisposable
{
    Task<bool> HasBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    Task PutBlobAsync(string repository, Digest digest, long size, Stream content, CancellationToken cancellationToken);

    Task<bool> HasManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Stores a manifest whose children, blobs and (for a referrer) subject are already written; <paramref name="tag"/> points at it when given.</summary>
    Task PutManifestAsync(string repository, ManifestDocument manifest, string? tag, CancellationToken cancellationToken);

    /// <summary>Makes everything written durable and visible (an OCI layout writes its index.json, a tar is packed).</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
