using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Mirror.Transfer;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// One download of one blob from an upstream, shared by every client that asks for it meanwhile. Bytes are hashed and
/// written to a spool file that readers follow as it grows, so they reach clients as fast as they arrive; the final byte
/// is held back until the whole download hashed to the digest, so a reader of a corrupt blob gets an error, never a
/// clean end. Only then is the blob stored, from the spool, through the registry's own push operation (at the store's
/// pace, after the clients have their bytes), told that the bytes are verified so it does not hash them again.
/// </summary>
/// <remarks>
/// Measured (benchmarks/RESULTS-MIRROR.md): piping each chunk into the push as it arrived made the download, and so every
/// client, wait for the store: a cold pull ran at push speed (0.4 GB/s here) instead of download speed, and the last byte
/// waited for the commit's fsync. Memory: one pooled 1 MiB buffer; the spool lives in the page cache and is deleted when
/// the fill and its last reader are done.
/// </remarks>
internal sealed class BlobFill
{
    private const int ReadBytes = 1024 * 1024;

    private readonly SafeFileHandle _spool;
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _written;
    private bool _verified;
    private Exception? _failure;
    private int _references = 1;

    public BlobFill(Digest digest, string spoolFolder)
    {
        Digest = digest;
        _spool = File.OpenHandle(
            Path.Combine(spoolFolder, $"oci-mirror-{digest.EncodedString}-{Guid.NewGuid():N}.spool"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete,
            FileOptions.DeleteOnClose);
    }

    public Digest Digest { get; }

    /// <summary>The blob's length, known once <see cref="Started"/> completed with true.</summary>
    public long Length { get; private set; }

    /// <summary>How many bytes are in the spool so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>True once the upstream answered with the blob, false when it does not have it (or failed before sending it).</summary>
    public Task<bool> Started => _started.Task;

    /// <summary>Completes when the fill is over, committed or not.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Joins the fill as a reader; false when it is over and its spool gone.</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _spool.Dispose();
        }
    }

    /// <summary>Gives the fill up before it started (taken out of the running fills already): its readers hear it did not start.</summary>
    public void Abandon()
    {
        _started.TrySetResult(false);
        Release();
    }

    /// <summary>
    /// Runs the fill: <paramref name="download"/> opens the upstream response, <paramref name="push"/> stores what the
    /// pipe carries (the verified spool) under the digest. <paramref name="onEnded"/> hears when it is over, with the failure if it did not
    /// commit, before the fill lets go of its spool.
    /// </summary>
    public void Start(Func<Task<HttpResponseMessage>> download, Func<PipeReader, Task<RegistryResult<Digest>>> push, Action<long> onBytes, Action<BlobFill, Exception?> onEnded, CancellationToken cancellationToken) =>
        Completion = Task.Run(async () =>
        {
            Exception? failed = null;
            try
            {
                await RunAsync(download, push, onBytes, cancellationToken).ConfigureAwait(false);
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
                    Fail(failed);
                }

                _started.TrySetResult(false);
                Release();
            }
        });

    /// <summary>Waits until bytes from <paramref name="offset"/> on may be read; returns how far they may.</summary>
    public async ValueTask<long> WaitForAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var progress = Volatile.Read(ref _progress);
            if (Volatile.Read(ref _verified))
            {
                return Length; // every byte is in the spool and checked, whatever became of storing them
            }

            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw new IOException($"The upstream fetch of {Digest} failed: {failure.Message}", failure);
            }

            var readable = Math.Min(Written, Length - 1);
            if (readable > offset || offset >= Length)
            {
                return readable;
            }

            await progress.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        RandomAccess.ReadAsync(_spool, buffer, offset, cancellationToken);

    private async Task RunAsync(Func<Task<HttpResponseMessage>> download, Func<PipeReader, Task<RegistryResult<Digest>>> push, Action<long> onBytes, CancellationToken cancellationToken)
    {
        if (!await DownloadAsync(download, onBytes, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Volatile.Write(ref _verified, true);
        Signal();

        // Every waiting client can read to the end now; the store takes the same bytes from the spool.
        TryAcquire();
        var spooled = new ContentStream(new FillContent(this));
        await using (spooled.ConfigureAwait(false))
        {
            var pushed = await push(PipeReader.Create(spooled, new StreamPipeReaderOptions(bufferSize: ReadBytes))).ConfigureAwait(false);
            if (!pushed.IsSuccess)
            {
                throw new IOException($"the verified blob could not be stored: {pushed.Error.Message}");
            }
        }
    }

    // True once every byte is in the spool and they hash to the digest; false when the upstream does not have the blob.
    private async Task<bool> DownloadAsync(Func<Task<HttpResponseMessage>> download, Action<long> onBytes, CancellationToken cancellationToken)
    {
        using var response = await download().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength is not { } length)
        {
            _started.TrySetResult(false);
            return false;
        }

        Length = length;
        _started.TrySetResult(true);
        using var hasher = DigestHasher.Rent(Digest.Algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ReadBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (_written + read > Length)
                {
                    throw new InvalidDataException($"the upstream sent more than the {Length} bytes it announced");
                }

                hasher.Append(buffer.AsSpan(0, read));
                await RandomAccess.WriteAsync(_spool, buffer.AsMemory(0, read), _written, cancellationToken).ConfigureAwait(false);
                onBytes(read);
                Interlocked.Add(ref _written, read);
                Signal();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_written != Length)
        {
            throw new IOException($"the upstream sent {_written} of {Length} bytes");
        }

        var actual = hasher.Finish();
        return actual == Digest ? true : throw new InvalidDataException($"the upstream's bytes hash to {actual}");
    }

    private void Fail(Exception failure)
    {
        Interlocked.CompareExchange(ref _failure, failure, null);
        Signal();
    }

    // Called after each change of state. Readers take the current signal before looking at the state, so no change is missed.
    private void Signal() =>
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
