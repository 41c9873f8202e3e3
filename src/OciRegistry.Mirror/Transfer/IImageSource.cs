using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>Where a transfer reads images: a registry's own stores, an upstream registry, or an OCI image layout.</summary>
internal interface IImageSource : IAsyncDisposable
{
    /// <summary>The repositories on offer (for patterns), in any order.</summary>
    IAsyncEnumerable<string> ListRepositoriesAsync(CancellationToken cancellationToken);

    /// <summary>The tags of a repository; empty when it has none.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>The manifest a tag or digest names, or null.</summary>
    Task<ManifestDocument?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>The blob's bytes as a stream, or null.</summary>
    Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>The manifests whose subject is <paramref name="digest"/> (signatures, SBOMs, attestations).</summary>
    Task<IReadOnlyList<Descriptor>> GetReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken);
}
