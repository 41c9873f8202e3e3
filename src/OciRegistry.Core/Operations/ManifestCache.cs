using System.Collections.Concurrent;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Operations;

/// <summary>
/// Manifest bytes kept in memory by digest, up to a byte budget, so manifest GETs do not touch storage.
/// Content-addressed, so an entry is never stale; whether a repository may see it is checked before every use.
/// Once the budget is spent, new manifests are simply not cached.
/// </summary>
internal sealed class ManifestCache(long capacityBytes)
{
    private readonly ConcurrentDictionary<Digest, ReadOnlyMemory<byte>> _entries = new();
    private long _usedBytes;

    public bool TryGet(Digest digest, out ReadOnlyMemory<byte> bytes) => _entries.TryGetValue(digest, out bytes);

    public void Add(Digest digest, ReadOnlyMemory<byte> bytes)
    {
        if (Interlocked.Add(ref _usedBytes, bytes.Length) > capacityBytes || !_entries.TryAdd(digest, bytes))
        {
            Interlocked.Add(ref _usedBytes, -bytes.Length);
        }
    }

    public void Remove(Digest digest)
    {
        if (_entries.TryRemove(digest, out var removed))
        {
            Interlocked.Add(ref _usedBytes, -removed.Length);
        }
    }
}
