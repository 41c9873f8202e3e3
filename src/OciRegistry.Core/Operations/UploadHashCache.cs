using System.Collections.Concurrent;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Operations;

/// <summary>
/// The running hash of each upload session this process has been appending to, so neither the next chunk nor the
/// final PUT re-reads what came before. Only a cache: an instance whose hash is behind (other instances took the chunks
/// since) hashes just what they appended; one without any (a restart) hashes what the store holds.
/// </summary>
/// <remarks>
/// A session that ends on another instance leaves its hasher here; past <see cref="MaxKept"/> hashers the oldest kept
/// are dropped, so a long-lived instance behind a per-request balancer does not grow without bound.
/// </remarks>
internal sealed class UploadHashCache
{
    /// <summary>How many sessions' hashers are kept at most (each a hash state of a few hundred bytes).</summary>
    internal const int MaxKept = 4096;

    private readonly ConcurrentDictionary<string, Kept> _hashers = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>
    /// Takes the session's hasher if it has hashed at most <paramref name="length"/> bytes: the caller appends the rest
    /// from the store. The recorded prefix of a session never changes (writers truncate only what was not recorded), so
    /// what the hasher saw is still what the store holds.
    /// </summary>
    public DigestHasher? Take(string uploadId, long length)
    {
        if (!_hashers.TryRemove(uploadId, out var kept))
        {
            return null;
        }

        if (kept.Hasher.Length <= length)
        {
            return kept.Hasher;
        }

        kept.Hasher.Dispose();
        return null;
    }

    /// <summary>Keeps the session's hasher for its next chunk or its final PUT.</summary>
    public void Keep(string uploadId, DigestHasher hasher)
    {
        if (!_hashers.TryAdd(uploadId, new Kept(hasher, Interlocked.Increment(ref _sequence))))
        {
            hasher.Dispose();
            return;
        }

        if (_hashers.Count > MaxKept)
        {
            DropOldest();
        }
    }

    /// <summary>Drops what is kept for a session that ended.</summary>
    public void Forget(string uploadId)
    {
        if (_hashers.TryRemove(uploadId, out var kept))
        {
            kept.Hasher.Dispose();
        }
    }

    // Down to three quarters of the bound, so the sort runs once per MaxKept / 4 sessions, not on every Keep.
    private void DropOldest()
    {
        var excess = _hashers.Count - (MaxKept * 3 / 4);
        foreach (var entry in _hashers.OrderBy(entry => entry.Value.Sequence).Take(excess).ToList())
        {
            if (_hashers.TryRemove(entry))
            {
                entry.Value.Hasher.Dispose();
            }
        }
    }

    private readonly record struct Kept(DigestHasher Hasher, long Sequence);
}
