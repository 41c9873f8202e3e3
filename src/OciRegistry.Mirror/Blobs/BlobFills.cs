using OciRegistry.Core.References;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// The blob fetches in progress, one per digest: the first client to miss a blob starts its <see cref="BlobFill"/>,
/// every client that misses it meanwhile joins that one, so the upstream serves each blob once however many ask.
/// </summary>
/// <remarks>Fills outlive the requests that started them (the cache is filled even when the client leaves); disposing stops them.</remarks>
internal sealed partial class BlobFills(
    UploadOperations uploads,
    IBlobStore blobs,
    IMetadataStore metadata,
    IOptions<MirrorOptions> options,
    MirrorMetrics metrics,
    ILogger<BlobFills> logger) : IAsyncDisposable
{
    private const int Attempts = 4;
    private readonly ConcurrentDictionary<Digest, BlobFill> _fills = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The length of a blob being fetched right now, or null.</summary>
    public long? LengthInProgress(Digest digest) =>
        _fills.TryGetValue(digest, out var fill) && fill.Started.IsCompletedSuccessfully && fill.Started.Result ? fill.Length : null;

    /// <summary>Completes when the fill of <paramref name="digest"/> running now, if any, is over: stored, or failed.</summary>
    public Task CompletionOf(Digest digest) => _fills.TryGetValue(digest, out var fill) ? fill.Completion : Task.CompletedTask;

    /// <summary>
    /// <paramref name="digest"/> for <paramref name="repository"/>: linked from the store when it holds the bytes already,
    /// otherwise a reader of them as they arrive from the upstream; null when neither has it.
    /// </summary>
    public async ValueTask<IBlobContent?> OpenAsync(UpstreamClient client, string remoteRepository, RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await OpenStoredAsync(repository, digest, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (_fills.TryGetValue(digest, out var running))
            {
                if (running.TryAcquire())
                {
                    metrics.Coalesced();
                    return await ReaderAsync(running, client, remoteRepository, repository, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            var fill = new BlobFill(digest, options.Value.SpoolPath ?? Path.GetTempPath());
            if (!_fills.TryAdd(digest, fill))
            {
                fill.Release();
                continue;
            }

            fill.TryAcquire();

            // A fill of this digest may have committed and left since the look above. None can start or end now that
            // this one holds the place, so one more look at the store settles it before the upstream is asked again.
            if (await OpenStoredAsync(repository, digest, cancellationToken).ConfigureAwait(false) is { } committed)
            {
                _fills.TryRemove(KeyValuePair.Create(digest, fill));
                fill.Abandon();
                fill.Release();
                return committed;
            }

            metrics.Miss("blob");
            fill.Start(
                () => client.GetBlobAsync(remoteRepository, digest, _stopping.Token),
                body => uploads.PushVerifiedAsync(repository.Value, digest, body, _stopping.Token).AsTask(),
                client.CountBlobBytes,
                Ended,
                _stopping.Token);
            return await ReaderAsync(fill, client, remoteRepository, repository, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_fills.Values.Select(f => f.Completion)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    // A client's reader of the fill; a range far ahead of it is read from the upstream. A fill that did not start (the
    // upstream lacks the blob, or it was abandoned for the stored copy) leaves the store's answer.
    private async ValueTask<IBlobContent?> ReaderAsync(BlobFill fill, UpstreamClient client, string remoteRepository, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (await fill.Started.ConfigureAwait(false))
        {
            return new FillContent(fill, (offset, token) => UpstreamRange.OpenAsync(client, remoteRepository, fill.Digest, offset, token));
        }

        fill.Release();
        return await OpenStoredAsync(repository, fill.Digest, cancellationToken).ConfigureAwait(false);
    }

    // Another repository (or a fill just committed) holds these bytes already: link them into this one. A link is
    // refused while a collector deletes those bytes; then they are fetched again.
    private async ValueTask<IBlobContent?> OpenStoredAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await blobs.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false) is { } size
        && await metadata.LinkBlobAsync(repository, digest, size, cancellationToken).ConfigureAwait(false)
            ? await blobs.OpenAsync(digest, cancellationToken).ConfigureAwait(false)
            : null;

    private void Ended(BlobFill fill, Exception? failure)
    {
        _fills.TryRemove(KeyValuePair.Create(fill.Digest, fill));
        if (failure is InvalidDataException)
        {
            metrics.VerificationFailed();
            Log.Discarded(logger, fill.Digest, failure.Message);
        }
        else if (failure is not null)
        {
            Log.Failed(logger, fill.Digest, failure);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Discarded blob {Digest} fetched from upstream: {Reason}")]
        public static partial void Discarded(ILogger logger, Digest digest, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Fetching blob {Digest} from upstream failed")]
        public static partial void Failed(ILogger logger, Digest digest, Exception exception);
    }
}
