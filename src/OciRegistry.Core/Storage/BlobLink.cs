using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>A blob linked to a repository, as listed by <see cref="IMetadataStore.ListBlobLinksAsync"/>.</summary>
/// <param name="Digest">The blob's digest.</param>
/// <param name="LinkedAt">
/// When the repository last got the blob (an upload, a re-upload of content stored long ago, a mount, a manifest put):
/// garbage collection's grace period counts from here, not from when the bytes were first stored.
/// </param>
public readonly record struct BlobLink(Digest Digest, DateTimeOffset LinkedAt);
