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
    public ValueTask<IBlobRemoval?> BeginRemoveAsync(Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IBlobRemoval?>(_blobs.TryRemove(digest, out var blob) ? new Removal(_blobs, digest, blob) : null);

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (digest, blob) in _blobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BlobEntry(digest, blob.Content.Length, blob.CommittedAt);
        }
    }

    /// <summary>Adds a blob made of <paramref name="chunks"/> unless the digest is already stored (then the first one stays).</summary>
    /// <summary>Stores the chunks as <paramref name="digest"/> unless a copy of the same length is there (one of another length is corrupt: replaced).</summary>
    internal void Commit(Digest digest, IReadOnlyList<byte[]> chunks)
    {
        var blob = new StoredBlob(new ChunkedContent(chunks), _timeProvider.GetUtcNow());
        // The verified upload replaces any stored copy, so one whose bytes went bad is repaired by the next genuine push.
        _blobs[digest] = blob;
    }

    private sealed record StoredBlob(ChunkedContent Content, DateTimeOffset CommittedAt);

    private sealed class Removal(ConcurrentDictionary<Digest, StoredBlob> blobs, Digest digest, StoredBlob blob) : IBlobRemoval
    {
        public ValueTask CompleteAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask UndoAsync(CancellationToken cancellationToken = default)
        {
            blobs.TryAdd(digest, blob);
            return ValueTask.CompletedTask;
        }
    }
}
