using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.ObjectStorage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// An <see cref="IBlobStore"/> in an S3 bucket (AWS, Ceph RADOS Gateway, MinIO): each blob an object keyed
/// <c>blobs/&lt;digest&gt;</c>, created only if absent (<c>If-None-Match: *</c>), so two instances committing the
/// same digest never overwrite each other.
/// </summary>
/// <remarks>
/// A blob being collected stays in place while an empty marker object <c>removing/&lt;digest&gt;</c> exists: readers
/// that opened it keep reading, every later look-up treats it as absent, and storing the digest again removes the
/// marker, which keeps the blob. S3 has no conditional delete on every server, so a store that races the final
/// delete can lose: the collector's callers check their blob after linking it, which catches that.
/// </remarks>
public sealed class S3BlobStore : IBlobStore, IBlobRedirects
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;

    /// <summary>Stores blobs in <paramref name="bucket"/>, which must exist.</summary>
    public S3BlobStore(IAmazonS3 s3, string bucket)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        _s3 = s3;
        _bucket = bucket;
    }

    /// <inheritdoc />
    public async ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default) =>
        (await GetVisibleAsync(digest, cancellationToken).ConfigureAwait(false))?.ContentLength;

    /// <inheritdoc />
    public async ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var key = S3Names.Blob(digest);
        return await GetVisibleAsync(digest, cancellationToken).ConfigureAwait(false) is { } metadata
            ? new StreamedBlobContent(metadata.ContentLength, (offset, count, token) => OpenRangeAsync(key, offset, count, token))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the key is taken, a copy being collected is put back, and a copy of another length (bytes that do not hash
    /// to the key, which can only be damage) is overwritten. That overwrite is unconditional: Ceph's gateway answers
    /// 412 to every <c>If-Match</c> carrying the quoted ETag S3 hands out, and any copy a racing instance writes
    /// meanwhile holds the same verified bytes.
    /// </remarks>
    public async ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var key = S3Names.Blob(digest);
        while (!await TryPutAsync(key, content, onlyIfAbsent: true, cancellationToken).ConfigureAwait(false))
        {
            if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is not { } existing)
            {
                continue;
            }

            if (existing.ContentLength != content.Length)
            {
                await TryPutAsync(key, content, onlyIfAbsent: false, cancellationToken).ConfigureAwait(false);
            }

            break;
        }

        await DeleteObjectAsync(S3Names.Removing(digest), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (await GetVisibleAsync(digest, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await DeleteObjectAsync(S3Names.Blob(digest), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<IBlobRemoval?> BeginRemoveAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (await GetVisibleAsync(digest, cancellationToken).ConfigureAwait(false) is null
            || !await TryPutAsync(S3Names.Removing(digest), ReadOnlyMemory<byte>.Empty, onlyIfAbsent: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new Removal(this, digest);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var removing = new HashSet<Digest>();
        await foreach (var marker in ListObjectsAsync(S3Names.RemovingPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (S3Names.TryParse(marker.Key, S3Names.RemovingPrefix, out var digest))
            {
                removing.Add(digest);
            }
        }

        await foreach (var item in ListObjectsAsync(S3Names.BlobPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (S3Names.TryParse(item.Key, S3Names.BlobPrefix, out var digest) && !removing.Contains(digest))
            {
                yield return new BlobEntry(digest, item.Size ?? 0, item.LastModified ?? default);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>A presigned GET URL.</remarks>
    public async ValueTask<Uri?> GetReadUriAsync(Digest digest, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        if (await GetVisibleAsync(digest, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = S3Names.Blob(digest),
            Verb = HttpVerb.GET,
            Expires = expiresOn.UtcDateTime,
            // The SDK signs https URLs unless told otherwise; an endpoint configured as http (a gateway on the local
            // network) must be reached the way it was configured.
            Protocol = _s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(await _s3.GetPreSignedURLAsync(request).ConfigureAwait(false));
    }

    private async Task<GetObjectMetadataResponse?> GetVisibleAsync(Digest digest, CancellationToken cancellationToken)
    {
        var blob = HeadAsync(S3Names.Blob(digest), cancellationToken);
        var marker = HeadAsync(S3Names.Removing(digest), cancellationToken);
        await Task.WhenAll(blob, marker).ConfigureAwait(false);
        return marker.Result is null ? blob.Result : null;
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<Stream> OpenRangeAsync(string key, long offset, long count, CancellationToken cancellationToken)
    {
        var response = await _s3.GetObjectAsync(
            new GetObjectRequest { BucketName = _bucket, Key = key, ByteRange = new ByteRange(offset, offset + count - 1) },
            cancellationToken).ConfigureAwait(false);
        return response.ResponseStream;
    }

    /// <summary>Stores <paramref name="content"/> at <paramref name="key"/>; false when <paramref name="onlyIfAbsent"/> and the key is taken.</summary>
    private async Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> content, bool onlyIfAbsent, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = new MemoryStream(content.ToArray(), writable: false),
            AutoCloseStream = true,
            IfNoneMatch = onlyIfAbsent ? "*" : null,
        };
        try
        {
            await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private async Task DeleteObjectAsync(string key, CancellationToken cancellationToken) =>
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);

    private async IAsyncEnumerable<S3Object> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return item;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    /// <summary>A blob marked for removal: completing deletes it unless storing it again removed the marker meanwhile.</summary>
    private sealed class Removal(S3BlobStore store, Digest digest) : IBlobRemoval
    {
        public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
        {
            var marker = S3Names.Removing(digest);
            if (await store.HeadAsync(marker, cancellationToken).ConfigureAwait(false) is not null)
            {
                await store.DeleteObjectAsync(S3Names.Blob(digest), cancellationToken).ConfigureAwait(false);
                await store.DeleteObjectAsync(marker, cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask UndoAsync(CancellationToken cancellationToken = default) =>
            await store.DeleteObjectAsync(S3Names.Removing(digest), cancellationToken).ConfigureAwait(false);
    }
}
