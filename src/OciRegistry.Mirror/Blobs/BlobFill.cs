using System.IO.Pipelines;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Operations;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// One download of one blob from an upstream, shared by every client that asks for it meanwhile. The bytes go straight
/// into an upload session of the registry's stores through the same operations as a chunked push, which hash them as
/// they write them; the commit then moves that session under the digest. Each byte is written once and hashed once.
/// Readers follow the session's stored prefix as it grows (<see cref="FillContent"/>), so bytes reach clients while the
/// download runs; the last byte is held back until the upload hashed to the digest and was committed, so a reader of a
/// corrupt blob gets an error, never a clean end, and a client that has the whole blob finds it cached.
/// </summary>
/// <remarks>
/// Measured (benchmarks/RESULTS-MIRROR.md): the previous fill wrote every byte to a spool file for the readers, then
/// pushed the spool through the upload operations (a second write and a second hash); copying into files was 37% of
/// the mirror's CPU and SHA-256 16%. Memory: the upstream body's pipe (256 KiB segments) and the session's own writer.
/// </remarks>
internal sealed class BlobFill(Digest digest, RepositoryName repository, UploadOperations uploads, IUploadStore sessions, IBlobStore blobs)
{
    // The session is appended in segments, each recorded as one chunk: a store that shows a writer's bytes only once it
    // closes (object stores complete a piece or commit a block list then) lets readers on at the end of each segment.
    // They grow with the blob, from 8 MiB (first bytes soon) to 64 MiB (few metadata writes: 20 for 1 GiB).
    private const long FirstSegmentBytes = 8 * 1024 * 1024;
    private const long LargestSegmentBytes = 64 * 1024 * 1024;
    private const int BodyBufferBytes = 256 * 1024;

    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _uploadId;
    private long _written;
    private long _recorded;
    private bool _stored;
    private Exception? _failure;

    public Digest Digest { get; } = digest;

    /// <summary>The blob's length, known once <see cref="Started"/> completed with true.</summary>
    public long Length { get; private set; }

    /// <summary>How many bytes the session holds so far (hashed and written).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>How many of them the session has recorded: what a store that shows only closed writes shows.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>How far readers may read: every byte written but the last, until the blob is stored.</summary>
    public long Readable => Math.Min(Written, Length - 1);

    /// <summary>True once the blob hashed to its digest and was committed; read it from the blob store then.</summary>
    public bool IsStored => Volatile.Read(ref _stored);

    /// <summary>Why the fill failed, once it has.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Completes at the next change of state (bytes written or recorded, stored, failed). Take it before looking at the
    /// state, so no change is missed.
    /// </summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>True once the upstream answered with the blob and its session exists, false when it does not have it (or failed before).</summary>
    public Task<bool> Started => _started.Task;

    /// <summary>Completes when the fill is over, stored or failed; never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>What the session holds now; null once it has ended (committed or discarded).</summary>
    public ValueTask<IBlobContent?> OpenSessionAsync(CancellationToken cancellationToken) =>
        sessions.OpenReadAsync(_uploadId!, cancellationToken);

    /// <summary>The stored blob, once <see cref="IsStored"/>.</summary>
    public ValueTask<IBlobContent?> OpenStoredAsync(CancellationToken cancellationToken) =>
        blobs.OpenAsync(Digest, cancellationToken);

    /// <summary>
    /// Runs the fill: <paramref name="download"/> opens the upstream response, <paramref name="onBytes"/> counts what
    /// it sends. <paramref name="onEnded"/> hears when it is over, with the failure if it was not stored, before readers do.
    /// </summary>
    public void Start(Func<Task<HttpResponseMessage>> download, Action<long> onBytes, Action<BlobFill, Exception?> onEnded, CancellationToken cancellationToken) =>
        Completion = Task.Run(async () =>
        {
            Exception? failed = null;
            try
            {
                await RunAsync(download, onBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                failed = failure;
            }
            finally
            {
                // Out of the running fills before readers hear of a failure, so a retry starts a fresh fetch.
                onEnded(this, failed);
                if (failed is not null)
                {
                    Volatile.Write(ref _failure, failed);
                    Signal();
                }

                _started.TrySetResult(false);
            }
        });

    private async Task RunAsync(Func<Task<HttpResponseMessage>> download, Action<long> onBytes, CancellationToken cancellationToken)
    {
        using var response = await download().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength is not { } length)
        {
            return;
        }

        var session = await uploads.StartAsync(repository.Value, cancellationToken).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            throw new IOException($"no upload session for the fetched blob: {session.Error.Message}");
        }

        Length = length;
        _uploadId = session.Value.Id;
        _started.TrySetResult(true);
        var stored = false;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: BodyBufferBytes));
            try
            {
                await AppendAsync(reader, onBytes, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            var completed = await uploads.CompleteAsync(repository.Value, _uploadId, Digest.ToString(), rangeStart: null, finalChunk: null, cancellationToken).ConfigureAwait(false);
            if (!completed.IsSuccess)
            {
                throw completed.Error.Code == RegistryErrorCode.DigestInvalid
                    ? new InvalidDataException(completed.Error.Message)
                    : new IOException($"the fetched blob could not be stored: {completed.Error.Message}");
            }

            stored = true;
            Volatile.Write(ref _stored, true);
            Signal();
        }
        finally
        {
            if (!stored)
            {
                await uploads.CancelAsync(repository.Value, _uploadId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task AppendAsync(PipeReader body, Action<long> onBytes, CancellationToken cancellationToken)
    {
        while (Written < Length)
        {
            var segment = new FillSegment(body, Math.Min(Length - Written, Math.Clamp(Written, FirstSegmentBytes, LargestSegmentBytes)), bytes =>
            {
                onBytes(bytes);
                Interlocked.Add(ref _written, bytes);
                Signal();
            });
            var appended = await uploads.AppendAsync(repository.Value, _uploadId!, Written, segment, cancellationToken).ConfigureAwait(false);
            if (!appended.IsSuccess)
            {
                throw new IOException($"the fetched bytes could not be stored: {appended.Error.Message}");
            }

            if (!segment.IsFull)
            {
                throw new IOException($"the upstream sent {Written} of {Length} bytes");
            }

            Interlocked.Exchange(ref _recorded, appended.Value.Length);
            Signal();
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
