using System.Collections.Concurrent;
using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// The blobs this instance wrote in the last two seconds, with their sizes. A push asks for them right after writing
/// them (a manifest put checks its config and layers, then whether its own bytes are still there), and these answers
/// save a request each: four of the eight a small image cost.
/// </summary>
/// <remarks>
/// Every write this instance makes sets the blob's stored time to now, and a collector deletes only blobs stored longer
/// ago than its grace period (<c>OciRegistry:Gc:GracePeriod</c>, one hour by default), after unlinking them everywhere;
/// a deletion on this instance forgets the blob at once. So an answer from here is what Azure would give, unless a
/// collector elsewhere runs with a grace period under two seconds. A blob found already stored (an identical push
/// before) is not remembered: its stored time is older.
/// </remarks>
internal sealed class RecentlyWrittenBlobs(TimeProvider time)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(2);

    // Past this many, the ones older than KeptFor go.
    private const int Bound = 1024;

    private readonly ConcurrentDictionary<Digest, (long Size, long WrittenAt)> _blobs = new();

    /// <summary>Notes that this instance just wrote <paramref name="digest"/>'s bytes, <paramref name="size"/> of them.</summary>
    public void Written(Digest digest, long size)
    {
        if (_blobs.Count >= Bound)
        {
            foreach (var (key, entry) in _blobs)
            {
                if (time.GetElapsedTime(entry.WrittenAt) >= KeptFor)
                {
                    _blobs.TryRemove(new(key, entry));
                }
            }
        }

        _blobs[digest] = (size, time.GetTimestamp());
    }

    /// <summary>The size of a blob this instance wrote less than two seconds ago; null for any other.</summary>
    public long? SizeOf(Digest digest) =>
        _blobs.TryGetValue(digest, out var entry) && time.GetElapsedTime(entry.WrittenAt) < KeptFor ? entry.Size : null;

    /// <summary>Forgets <paramref name="digest"/>: it is being deleted.</summary>
    public void Forget(Digest digest) => _blobs.TryRemove(digest, out _);
}
