using OciRegistry.Core.Digests;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// An in-memory blob store that runs test code at the moments races happen: while the collector deletes a blob's
/// bytes (its mark in the metadata store standing), and before a size check answers.
/// </summary>
internal sealed class HookedBlobStore(InMemoryBlobStore inner) : IBlobStore
{
    public InMemoryBlobStore Inner => inner;

    public Func<Digest, ValueTask>? BeforeDelete { get; set; }

    public Func<Digest, ValueTask>? BeforeSizeCheck { get; set; }

    public async ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (BeforeSizeCheck is { } hook)
        {
            await hook(digest);
        }

        return await inner.GetSizeAsync(digest, cancellationToken);
    }

    public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default) => inner.OpenAsync(digest, cancellationToken);

    public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutAsync(digest, content, cancellationToken);

    public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (BeforeDelete is { } hook)
        {
            await hook(digest);
        }

        return await inner.DeleteAsync(digest, cancellationToken);
    }

    public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
