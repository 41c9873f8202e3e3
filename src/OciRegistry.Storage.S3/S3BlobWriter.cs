using System.Buffers;
using Amazon.S3.Model;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.S3;

/// <summary>
/// Writes a blob whose digest is known up front straight to <c>blobs/&lt;digest&gt;</c>: a multipart upload of 16 MiB
/// parts sent while the next fills (<see cref="S3PartQueue"/>), invisible until the commit completes it; a blob of one
/// part or less is one <c>PutObject</c> at the commit. Nothing is written in the session and nothing is copied.
/// Disposing without committing aborts the upload, so nothing shows under the digest.
/// </summary>
/// <remarks>
/// One multipart upload holds at most 10,000 parts, so this writer takes blobs up to 10,000 × 16 MiB (156 GiB); a
/// larger whole-blob PUT fails, and is pushed in chunks instead (which go through the session's pieces). Two writers
/// of the same digest have uploads of their own, and the later completion replaces the earlier's object with the same
/// verified bytes.
/// </remarks>
internal sealed class S3BlobWriter(S3UploadStore store, string key, Func<Task> endSession) : IBlobWriter
{
    private readonly S3PartQueue _parts = new(store, S3Parts.BlobPartBytes);
    private bool _closed;

    /// <inheritdoc />
    public long Length { get; private set; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Length += data.Length;
        await _parts.FillAsync(data, SendPartAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_parts.UploadId is null)
        {
            await store.Client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = store.Bucket,
                    Key = key,
                    InputStream = _parts.OpenFilled(),
                    AutoCloseStream = true,
                },
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (_parts.Filled > 0)
            {
                await SendPartAsync(cancellationToken).ConfigureAwait(false);
            }

            await _parts.FinishAsync().ConfigureAwait(false);
            await store.CompleteAsync(key, _parts.UploadId, _parts.Parts, cancellationToken).ConfigureAwait(false);
        }

        _closed = true;
        _parts.ReleaseFilling();
        await endSession().ConfigureAwait(false);
        return UploadCommitStatus.Committed;
    }

    /// <summary>Aborts the upload unless it was committed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await _parts.DiscardAsync().ConfigureAwait(false);
        _parts.ReleaseFilling();
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        if (_parts.UploadId is null)
        {
            await _parts.InitiateAsync(key, cancellationToken).ConfigureAwait(false);
        }
        else if (_parts.Parts.Count == S3Parts.MaxParts)
        {
            throw new InvalidOperationException(
                $"A whole-blob PUT holds at most {S3Parts.MaxParts} parts of {S3Parts.BlobPartBytes / (1024 * 1024)} MiB on S3: push a blob this large in chunks.");
        }

        await _parts.SendFilledAsync(cancellationToken).ConfigureAwait(false);
    }
}
