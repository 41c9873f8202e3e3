using System.Collections.Concurrent;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Operations;

/// <summary>
/// The running hash of each upload session this process has been appending to, so finishing an upload does not
/// re-read it. Only a cache: an instance that lacks the hash (another instance took the earlier chunks, or a
/// restart) re-hashes what the store holds.
/// </summary>
internal sealed class UploadHashCache
{
    private readonly ConcurrentDictionary<string, DigestHasher> _hashers = new(StringComparer.Ordinal);

    /// <summary>Takes the session's hasher if it has hashed exactly <paramref name="length"/> bytes.</summary>
    public DigestHasher? Take(string uploadId, long length)
    {
        if (!_hashers.TryRemove(uploadId, out var hasher))
        {
            return null;
        }

        if (hasher.Length == length)
        {
            return hasher;
        }

        hasher.Dispose();
        return null;
    }

    /// <summary>Keeps the session's hasher for its next chunk.</summary>
    public void Keep(string uploadId, DigestHasher hasher)
    {
        if (!_hashers.TryAdd(uploadId, hasher))
        {
            hasher.Dispose();
        }
    }

    /// <summary>Drops what is kept for a session that ended.</summary>
    public void Forget(string uploadId)
    {
        if (_hashers.TryRemove(uploadId, out var hasher))
        {
            hasher.Dispose();
        }
    }
}
