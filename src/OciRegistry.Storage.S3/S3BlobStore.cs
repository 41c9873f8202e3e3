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
        (await HeadAsync(S3Names.Blob(digest), cancellationToken).ConfigureAwait(false))?.ContentLength;

    /// <inheritdoc />
    public async ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var key = S3Names.Blob(digest);
        return await HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } metadata
            ? new StreamedBlobContent(metadata.ContentLength, (offset, count, token) => OpenRangeAsync(key, offset, count, token))
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the key is taken, a copy of another length (bytes that do not hash to the key, which can only be damage) is
    /// overwritten. That overwrite is unconditional: Ceph's gateway answers
    /// 412 to every <c>If-Match</c> carrying the quoted ETag S3 hands out, and any copy a racing instance writes
    /// meanwhile holds the same verified bytes.
    /// </remarks>
    public async ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var key = S3Names.Blob(digest);
        while (!await TryPutAsync(key, content, onlyIfAbsent: true, cancellationToken).ConfigureAwait(false))
        {
            if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                if (existing.ContentLength != content.Length)
                {
                    await TryPutAsync(key, content, onlyIfAbsent: false, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var key = S3Names.Blob(digest);
        if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = S3Names.BlobPrefix };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (S3Names.TryParseBlob(item.Key, out var digest))
                {
                    yield return new BlobEntry(digest, item.Size ?? 0, item.LastModified ?? default);
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    /// <inheritdoc />
    /// <remarks>A presigned GET URL.</remarks>
    public async ValueTask<Uri?> GetReadUriAsync(Digest digest, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        if (await HeadAsync(S3Names.Blob(digest), cancellationToken).ConfigureAwait(false) is null)
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

    internal IAmazonS3 Client => _s3;

    internal string Bucket => _bucket;

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

    internal async Task<Stream> OpenRangeAsync(string key, long offset, long count, CancellationToken cancellationToken)
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
}
