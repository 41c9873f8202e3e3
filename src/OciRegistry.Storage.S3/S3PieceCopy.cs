using Amazon.S3.Model;

namespace OciRegistry.Storage.S3;

/// <summary>
/// Joins a session's pieces into one object at <paramref name="target"/> with server-side copies: <c>CopyObject</c> for a
/// single whole piece up to 5 GiB, else a multipart upload whose parts are <c>UploadPartCopy</c> ranges of the pieces (at
/// most 5 GiB each, four at a time) and, last, the small trailing pieces read back and sent (under 5 MiB). An upload
/// under 5 MiB in several small pieces is read back and put as one object.
/// </summary>
internal sealed class S3PieceCopy(S3UploadStore store, string target)
{
    private const int ParallelCopies = 4;

    public async Task CopyAsync(IReadOnlyList<S3Piece> pieces, CancellationToken cancellationToken)
    {
        var trailing = pieces.Count;
        while (trailing > 0 && pieces[trailing - 1].Length < S3Parts.MinPartBytes)
        {
            trailing--;
        }

        var large = pieces.Take(trailing).ToList();
        var smalls = pieces.Skip(trailing).ToList();
        if (pieces is [{ Whole: true } only] && only.Length <= S3Parts.MaxCopyBytes)
        {
            await store.Client.CopyObjectAsync(
                new CopyObjectRequest { SourceBucket = store.Bucket, SourceKey = only.Key, DestinationBucket = store.Bucket, DestinationKey = target },
                cancellationToken).ConfigureAwait(false);
        }
        else if (large.Count == 0)
        {
            await PutAsync(await store.ReadPiecesAsync(smalls, 0, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CopyInPartsAsync(large, smalls, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(byte[] content, CancellationToken cancellationToken) =>
        await store.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = store.Bucket, Key = target, InputStream = new MemoryStream(content, writable: false), AutoCloseStream = true },
            cancellationToken).ConfigureAwait(false);

    private async Task CopyInPartsAsync(List<S3Piece> large, List<S3Piece> smalls, CancellationToken cancellationToken)
    {
        var ranges = large.SelectMany(Ranges).ToList();
        if (ranges.Count + (smalls.Count > 0 ? 1 : 0) > S3Parts.MaxParts)
        {
            throw new InvalidOperationException(
                $"The upload is in {ranges.Count} parts, more than the {S3Parts.MaxParts} S3 joins: it was sent in too many PATCHes of 5 MiB or more.");
        }

        var uploadId = (await store.Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = store.Bucket, Key = target }, cancellationToken).ConfigureAwait(false)).UploadId;
        try
        {
            var parts = new PartETag[ranges.Count + (smalls.Count > 0 ? 1 : 0)];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, ranges.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelCopies, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var (key, first, last) = ranges[index];
                    var copied = await store.Client.CopyPartAsync(
                        new CopyPartRequest
                        {
                            SourceBucket = store.Bucket,
                            SourceKey = key,
                            DestinationBucket = store.Bucket,
                            DestinationKey = target,
                            UploadId = uploadId,
                            PartNumber = index + 1,
                            FirstByte = first,
                            LastByte = last,
                        },
                        token).ConfigureAwait(false);
                    parts[index] = new PartETag(index + 1, copied.ETag);
                }).ConfigureAwait(false);
            if (smalls.Count > 0)
            {
                var tail = await store.ReadPiecesAsync(smalls, 0, cancellationToken).ConfigureAwait(false);
                var sent = await store.Client.UploadPartAsync(
                    new UploadPartRequest { BucketName = store.Bucket, Key = target, UploadId = uploadId, PartNumber = parts.Length, InputStream = new MemoryStream(tail, writable: false) },
                    cancellationToken).ConfigureAwait(false);
                parts[^1] = new PartETag(parts.Length, sent.ETag);
            }

            await store.Client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = store.Bucket, Key = target, UploadId = uploadId, PartETags = [.. parts] },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.AbortAsync(target, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    // A piece in equal ranges of at most 5 GiB (each well above the 5 MiB minimum, since a piece this long is over 5 GiB).
    private static IEnumerable<(string Key, long First, long Last)> Ranges(S3Piece piece)
    {
        var count = (piece.Length + S3Parts.MaxCopyBytes - 1) / S3Parts.MaxCopyBytes;
        var size = (piece.Length + count - 1) / count;
        for (var first = 0L; first < piece.Length; first += size)
        {
            yield return (piece.Key, first, Math.Min(first + size, piece.Length) - 1);
        }
    }
}
