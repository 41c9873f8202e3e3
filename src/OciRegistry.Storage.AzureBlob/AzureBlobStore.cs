using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
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
public sealed class AzureBlobStore : IBlobStore, IBlobRedirects
{
    private readonly BlobContainerClient _container;

    /// <summary>Stores blobs in <paramref name="container"/>, which must exist.</summary>
    /// <param name="container">The container.</param>
    /// <param name="timeProvider">The clock that times how long this instance answers for the blobs it just wrote; the system clock when omitted.</param>
    public AzureBlobStore(BlobContainerClient container, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        Recent = new RecentlyWrittenBlobs(timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    /// <remarks>A blob this instance wrote less than two seconds ago is answered without a request (<see cref="RecentlyWrittenBlobs"/>).</remarks>
    public async ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default) =>
        Recent.SizeOf(digest) ?? (await GetPropertiesAsync(BlobOf(digest), cancellationToken).ConfigureAwait(false))?.ContentLength;

    /// <inheritdoc />
    public async ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        return await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false) is { } properties
            ? new StreamedBlobContent(properties.ContentLength, (offset, count, token) => OpenRangeAsync(blob, offset, count, token))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the name is taken, a copy of another length (bytes that do not hash to the name, which can only be damage)
    /// is replaced.
    /// </remarks>
    public async ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blob = BlobOf(digest);
        var data = BinaryData.FromBytes(content);
        while (true)
        {
            if (await TryUploadAsync(blob, data, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false))
            {
                Recent.Written(digest, content.Length);
                return;
            }

            var existing = await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue;
            }

            if (existing.ContentLength == content.Length)
            {
                return;
            }

            if (await TryUploadAsync(blob, data, new BlobRequestConditions { IfMatch = existing.ETag }, cancellationToken).ConfigureAwait(false))
            {
                Recent.Written(digest, content.Length);
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        Recent.Forget(digest);
        return (await BlobOf(digest).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = AzureBlobNames.BlobPrefix }, cancellationToken).ConfigureAwait(false))
        {
            if (AzureBlobNames.TryParseBlob(item.Name, out var digest))
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
        return blob.CanGenerateSasUri && await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false) is not null
            ? blob.GenerateSasUri(BlobSasPermissions.Read, expiresOn)
            : null;
    }

    internal BlobContainerClient Container => _container;

    /// <summary>The blobs this instance just wrote: every write of a blob's bytes is noted here.</summary>
    internal RecentlyWrittenBlobs Recent { get; }

    internal BlobClient BlobOf(Digest digest) => _container.GetBlobClient(AzureBlobNames.Blob(digest));

    internal BlockBlobClient BlockBlobOf(Digest digest) => _container.GetBlockBlobClient(AzureBlobNames.Blob(digest));

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

    internal static async Task<Stream> OpenRangeAsync(BlobBaseClient blob, long offset, long count, CancellationToken cancellationToken)
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
}
