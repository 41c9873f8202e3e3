using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>
/// A blob store in front of another that, once <see cref="Hold"/> is called, keeps the next answer of
/// <see cref="GetSizeAsync"/> for that digest (looked up at call time) until <see cref="Release"/>: the caller acts on a
/// look at the store that the test has made stale in the meantime.
/// </summary>
internal sealed class HeldSizeLookup(IBlobStore inner) : IBlobStore
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private Digest? _held;

    /// <summary>Completes when the held lookup has its (now stale) answer.</summary>
    public TaskCompletionSource Looked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Hold(Digest digest)
    {
        lock (_lock)
        {
            _held = digest;
        }
    }

    public void Release() => _released.SetResult();

    public async ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var size = await inner.GetSizeAsync(digest, cancellationToken);
        if (TakeHold(digest))
        {
            Looked.SetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        return size;
    }

    public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default) => inner.OpenAsync(digest, cancellationToken);

    public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutAsync(digest, content, cancellationToken);

    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default) => inner.DeleteAsync(digest, cancellationToken);

    public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    private bool TakeHold(Digest digest)
    {
        lock (_lock)
        {
            if (_held != digest)
            {
                return false;
            }

            _held = null;
            return true;
        }
    }
}
