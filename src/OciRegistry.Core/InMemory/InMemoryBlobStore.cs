using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>
/// An <see cref="IBlobStore"/> that keeps every blob in memory, for tests and fixtures. Thread-safe.
/// </summary>
/// <remarks>
/// A blob is kept as the list of arrays its upload arrived in (never joined into one array), so committing an upload
/// copies nothing. Everything is lost when the instance is collected.
/// </remarks>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<Digest, StoredBlob> _blobs = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock stamping <see cref="BlobEntry.CommittedAt"/>; the system clock when omitted.</param>
    public InMemoryBlobStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_blobs.TryGetValue(digest, out var blob) ? blob.Content.Length : (long?)null);

    /// <inheritdoc />
    public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_blobs.TryGetValue(digest, out var blob) ? blob.Content : (IBlobContent?)null);

    /// <inheritdoc />
    public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (!_blobs.ContainsKey(digest))
        {
            Commit(digest, [content.ToArray()]);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_blobs.TryRemove(digest, out _));

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (digest, blob) in _blobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BlobEntry(digest, blob.Content.Length, blob.CommittedAt);
        }
    }

    /// <summary>Stores the chunks as <paramref name="digest"/>, replacing any stored copy.</summary>
    internal void Commit(Digest digest, IReadOnlyList<byte[]> chunks)
    {
        var blob = new StoredBlob(new ChunkedContent(chunks), _timeProvider.GetUtcNow());
        // The verified upload replaces any stored copy, so one whose bytes went bad is repaired by the next genuine push.
        _blobs[digest] = blob;
    }

    private sealed record StoredBlob(ChunkedContent Content, DateTimeOffset CommittedAt);
}
