using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Tests.Operations;

/// <summary>The running hashes an instance keeps between an upload's requests: taken only when usable, and bounded.</summary>
public sealed class UploadHashCacheTests
{
    [Fact]
    public void AHasherBehindTheSessionIsTaken_ToCatchUp_ButOneAheadOfItIsDropped()
    {
        var cache = new UploadHashCache();
        cache.Keep("behind", Hashed(10));
        cache.Keep("ahead", Hashed(10));

        Assert.Equal(10, cache.Take("behind", 25)?.Length);
        Assert.Null(cache.Take("ahead", 5));
        Assert.Null(cache.Take("ahead", 10)); // dropped, not kept for later
    }

    [Fact]
    public void PastTheBound_TheOldestKeptHashersAreDropped_AndTheNewestStay()
    {
        var cache = new UploadHashCache();
        for (var i = 0; i <= UploadHashCache.MaxKept; i++)
        {
            cache.Keep($"session-{i}", Hashed(i));
        }

        Assert.Null(cache.Take("session-0", 0));
        Assert.NotNull(cache.Take($"session-{UploadHashCache.MaxKept}", UploadHashCache.MaxKept));
        var kept = Enumerable.Range(0, UploadHashCache.MaxKept).Count(i => cache.Take($"session-{i}", i) is not null);
        Assert.InRange(kept, 1, (UploadHashCache.MaxKept * 3 / 4) - 1);
    }

    private static DigestHasher Hashed(int length)
    {
        var hasher = DigestHasher.Rent();
        hasher.Append(new byte[length]);
        return hasher;
    }
}
