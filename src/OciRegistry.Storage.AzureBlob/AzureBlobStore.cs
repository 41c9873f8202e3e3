using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.ObjectStorage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// An <see cref="IBlobStore"/> in an Azure Blob Storage container: each blob a block blob named
/// <c>blobs/&lt;digest&gt;</c>, created only if absent (<c>If-None-Match: *</c>), so two instances committing the same
/// digest never overwrite each other.
/// </summary>
/// <remarks>
/// A blob being collected stays in place, marked by its metadata (<see cref="AzureBlobNames.RemovingMetadata"/>):
/// readers that opened it keep reading, and every later look-up treats it as absent. Marking, unmarking and the final
/// delete are conditional on the blob's ETag, so a copy stored again meanwhile is never destroyed.
/// </remarks>
public sealed class AzureBlobStore : IBlobStore, IBlobRedirects
{
    private static readonly Dictionary<string, string> RemovingMark = new(StringComparer.Ordinal) { [AzureBlobNames.RemovingMetadata] = "true" };

    private readonly BlobContainerClient _container;

    /// <summary>Stores blobs in <paramref name="container"/>, which must exist.</summary>
    public AzureBlobStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <inheritdoc />
    public async ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default) =>
        (await GetVisibleAsync(BlobOf(digest), cancellationToken).ConfigureAwait(false))?.ContentLength;

    /// <inheritdoc />
    public async ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        return await GetVisibleAsync(blob, cancellationToken).ConfigureAwait(false) is { } properties
            ? new StreamedBlobContent(properties.ContentLength, (offset, count, token) => OpenRangeAsync(blob, offset, count, token))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the name is taken, a copy being collected is put back, and a copy of another length (bytes that do not
    /// hash to the name, which can only be damage) is replaced.
    /// </remarks>
    public async ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        var data = BinaryData.FromBytes(content);
        while (true)
        {
            if (await TryUploadAsync(blob, data, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var existing = await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue;
            }

            var conditions = new BlobRequestConditions { IfMatch = existing.ETag };
            if (existing.ContentLength != content.Length)
            {
                if (await TryUploadAsync(blob, data, conditions, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            else if (!IsRemoving(existing) || await TrySetMetadataAsync(blob, null, conditions, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        while (await GetVisibleAsync(blob, cancellationToken).ConfigureAwait(false) is { } properties)
        {
            if (await TryDeleteAsync(blob, properties.ETag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask<IBlobRemoval?> BeginRemoveAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        while (await GetVisibleAsync(blob, cancellationToken).ConfigureAwait(false) is { } properties)
        {
            try
            {
                var marked = await blob.SetMetadataAsync(RemovingMark, new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken).ConfigureAwait(false);
                return new Removal(blob, marked.Value.ETag);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Changed or deleted meanwhile: look again.
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = AzureBlobNames.BlobPrefix }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.Metadata.ContainsKey(AzureBlobNames.RemovingMetadata) && AzureBlobNames.TryParseBlob(item.Name, out var digest))
            {
                yield return new BlobEntry(digest, item.Properties.ContentLength ?? 0, item.Properties.CreatedOn ?? item.Properties.LastModified ?? default);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>A read-only SAS; null also when the container client cannot sign (it was not made with the account key).</remarks>
    public async ValueTask<Uri?> GetReadUriAsync(Digest digest, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        return blob.CanGenerateSasUri && await GetVisibleAsync(blob, cancellationToken).ConfigureAwait(false) is not null
            ? blob.GenerateSasUri(BlobSasPermissions.Read, expiresOn)
            : null;
    }

    internal BlobClient BlobOf(Digest digest) => _container.GetBlobClient(AzureBlobNames.Blob(digest));

    private static bool IsRemoving(BlobProperties properties) => properties.Metadata.ContainsKey(AzureBlobNames.RemovingMetadata);

    private static async Task<BlobProperties?> GetVisibleAsync(BlobClient blob, CancellationToken cancellationToken) =>
        await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false) is { } properties && !IsRemoving(properties) ? properties : null;

    private static async Task<BlobProperties?> GetPropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task<Stream> OpenRangeAsync(BlobClient blob, long offset, long count, CancellationToken cancellationToken)
    {
        var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, count) }, cancellationToken).ConfigureAwait(false);
        return response.Value.Content;
    }

    private static async Task<bool> TryUploadAsync(BlobClient blob, BinaryData data, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(data, new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static async Task<bool> TrySetMetadataAsync(BlobClient blob, IDictionary<string, string>? metadata, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            await blob.SetMetadataAsync(metadata, conditions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    private static async Task<bool> TryDeleteAsync(BlobClient blob, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.None, new BlobRequestConditions { IfMatch = etag }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>A blob marked for removal; every step is conditional on the mark's ETag, so a copy stored again meanwhile stays.</summary>
    private sealed class Removal(BlobClient blob, ETag marked) : IBlobRemoval
    {
        public async ValueTask CompleteAsync(CancellationToken cancellationToken = default) =>
            await TryDeleteAsync(blob, marked, cancellationToken).ConfigureAwait(false);

        public async ValueTask UndoAsync(CancellationToken cancellationToken = default) =>
            await TrySetMetadataAsync(blob, null, new BlobRequestConditions { IfMatch = marked }, cancellationToken).ConfigureAwait(false);
    }
}
