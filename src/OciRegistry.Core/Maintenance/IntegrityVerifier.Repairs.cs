using OciRegistry.Core.References;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

public sealed partial class IntegrityVerifier
{
    /// <summary>
    /// What <c>verify --repair</c> puts back. Only from bytes this verification hashed and found intact (never from a
    /// corrupt blob), and a manifest only through the ordinary manifest put, so a restored manifest is checked as a
    /// push would be: its blobs linked, its children stored.
    /// </summary>
    private sealed class Repairs(IBlobStore blobs, IMetadataStore metadata, IOptions<RegistryOptions> options, HashSet<Digest> corrupt)
    {
        private readonly ManifestOperations _manifests = new(blobs, metadata, options);

        /// <summary>Links a referenced blob whose intact bytes are stored.</summary>
        public async Task<RepairOutcome> RelinkAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken) =>
            !corrupt.Contains(blob) && await metadata.LinkBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false)
                ? RepairOutcome.Relinked
                : RepairOutcome.None;

        /// <summary>Stores a missing manifest again from its intact bytes (tagged <paramref name="tag"/> when given).</summary>
        public async Task<RepairOutcome> RestoreManifestAsync(RepositoryName repository, Digest digest, string? tag, CancellationToken cancellationToken)
        {
            if (corrupt.Contains(digest) || await ReadAsync(digest, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                return RepairOutcome.None;
            }

            var put = await _manifests.PutAsync(repository.Value, tag ?? digest.ToString(), contentType: null, bytes, cancellationToken).ConfigureAwait(false);
            return put.IsSuccess && put.Value.Digest == digest ? RepairOutcome.RestoredManifest : RepairOutcome.None;
        }

        /// <summary>Restores the manifest a tag points at; when it cannot be, removes the tag.</summary>
        public async Task<RepairOutcome> RestoreOrRemoveTagAsync(RepositoryName repository, TagEntry tag, CancellationToken cancellationToken)
        {
            if (await RestoreManifestAsync(repository, tag.Digest, tag.Name, cancellationToken).ConfigureAwait(false) is var restored and not RepairOutcome.None)
            {
                return restored;
            }

            return await metadata.DeleteTagAsync(repository, tag.Name, cancellationToken).ConfigureAwait(false) ? RepairOutcome.RemovedTag : RepairOutcome.None;
        }

        private async Task<byte[]?> ReadAsync(Digest digest, CancellationToken cancellationToken)
        {
            if (await blobs.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false) is not { } size || size > options.Value.MaxManifestBytes)
            {
                return null;
            }

            var content = await blobs.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return null;
            }

            await using (content.ConfigureAwait(false))
            {
                return await content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
