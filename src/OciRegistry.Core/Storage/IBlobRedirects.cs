using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Implemented by an <see cref="IBlobStore"/> that can hand a client a time-limited URL to read a blob straight from
/// the store (an Azure SAS, an S3 presigned URL), so pulls need not pass through the registry's instances. The
/// registry answers a blob GET with a redirect to it when <c>RegistryOptions.BlobRedirectLifetime</c> is set.
/// </summary>
public interface IBlobRedirects
{
    /// <summary>
    /// A URL that reads the blob's bytes (honouring <c>Range</c>) until <paramref name="expiresOn"/>, or <c>null</c> when
    /// the store does not have the blob or cannot sign a URL (e.g. its credential cannot):
    /// the registry then answers itself, with the spec's error when the blob is missing.
    /// </summary>
    ValueTask<Uri?> GetReadUriAsync(Digest digest, DateTimeOffset expiresOn, CancellationToken cancellationToken = default);
}
