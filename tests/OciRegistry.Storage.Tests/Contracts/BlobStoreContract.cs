using FsCheck;
using FsCheck.Xunit;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>What every <see cref="IBlobStore"/> must do; each backend runs it through a subclass.</summary>
public abstract class BlobStoreContract
{
    private const int PropertyBlobLength = 70_001;

    private readonly Lazy<IBlobStore> _store;

    protected BlobStoreContract()
    {
        _store = new Lazy<IBlobStore>(CreateStore);
    }

    private IBlobStore Store => _store.Value;

    /// <summary>A new, empty store.</summary>
    protected abstract IBlobStore CreateStore();

    [Fact]
    public async Task GetSize_IsNull_ForMissingBlob() =>
        Assert.Null(await Store.GetSizeAsync(TestContent.DigestOf("missing")));

    [Fact]
    public async Task Open_IsNull_ForMissingBlob() =>
        Assert.Null(await Store.OpenAsync(TestContent.DigestOf("missing")));

    [Fact]
    public async Task Delete_ReturnsFalse_ForMissingBlob() =>
        Assert.False(await Store.DeleteAsync(TestContent.DigestOf("missing")));

    [Fact]
    public async Task Put_MakesBlobReadable_WithItsSize()
    {
        var content = TestContent.Bytes(10_000, seed: 1);
        var digest = TestContent.DigestOf(content);

        await Store.PutAsync(digest, content);

        Assert.Equal(content.Length, await Store.GetSizeAsync(digest));
        await using var blob = await Store.OpenAsync(digest);
        Assert.NotNull(blob);
        Assert.Equal(content.Length, blob.Length);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob));
    }

    [Fact]
    public async Task Put_OfEmptyContent_StoresEmptyBlob()
    {
        var digest = TestContent.DigestOf([]);

        await Store.PutAsync(digest, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, await Store.GetSizeAsync(digest));
        await using var blob = await Store.OpenAsync(digest);
        Assert.Equal(0, await blob!.ReadAsync(0, new byte[16]));
    }

    [Fact]
    public async Task Put_Twice_KeepsOneBlob()
    {
        var content = TestContent.Bytes(100, seed: 2);
        var digest = TestContent.DigestOf(content);

        await Store.PutAsync(digest, content);
        await Store.PutAsync(digest, content);

        var entry = Assert.Single(await Store.ListAsync().ToListAsync());
        Assert.Equal(digest, entry.Digest);
        Assert.Equal(content.Length, entry.Size);
    }

    [Fact]
    public async Task Read_AtOrPastEnd_ReturnsZero()
    {
        var content = TestContent.Bytes(100, seed: 3);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);

        await using var blob = await Store.OpenAsync(digest);

        Assert.Equal(0, await blob!.ReadAsync(100, new byte[10]));
        Assert.Equal(0, await blob.ReadAsync(1_000, new byte[10]));
    }

    [Fact]
    public async Task Read_NearEnd_ReturnsOnlyWhatIsLeft()
    {
        var content = TestContent.Bytes(100, seed: 4);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);

        await using var blob = await Store.OpenAsync(digest);

        Assert.Equal(content[90..], await TestContent.ReadAsync(blob!, 90, 50));
    }

    [Property(MaxTest = 100)]
    public async Task<bool> AnyRangeRead_EqualsTheSlice(NonNegativeInt start, NonNegativeInt count)
    {
        var content = TestContent.Bytes(PropertyBlobLength, seed: 5);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);
        var offset = start.Get % (content.Length + 1);
        var length = count.Get % (content.Length - offset + 1);

        await using var blob = await Store.OpenAsync(digest);

        return (await TestContent.ReadAsync(blob!, offset, length)).AsSpan().SequenceEqual(content.AsSpan(offset, length));
    }

    [Fact]
    public async Task ConcurrentReads_OfOneOpenBlob_EachGetTheirSlice()
    {
        var content = TestContent.Bytes(1 << 20, seed: 6);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);
        await using var blob = await Store.OpenAsync(digest);

        var reads = Enumerable.Range(0, 16).Select(i => Task.Run(() => TestContent.ReadAsync(blob!, i * 60_000L, 50_000)));
        var slices = await Task.WhenAll(reads);

        for (var i = 0; i < slices.Length; i++)
        {
            Assert.Equal(content[(i * 60_000)..((i * 60_000) + 50_000)], slices[i]);
        }
    }

    [Fact]
    public async Task Delete_RemovesBlob_Once()
    {
        var content = TestContent.Bytes(100, seed: 7);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);

        Assert.True(await Store.DeleteAsync(digest));

        Assert.Null(await Store.GetSizeAsync(digest));
        Assert.Null(await Store.OpenAsync(digest));
        Assert.False(await Store.DeleteAsync(digest));
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task List_ReturnsEveryBlob_WithSizeAndRecentCommitTime()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var contents = Enumerable.Range(0, 5).Select(i => TestContent.Bytes(100 + i, seed: 10 + i)).ToList();
        foreach (var content in contents)
        {
            await Store.PutAsync(TestContent.DigestOf(content), content);
        }

        var entries = await Store.ListAsync().ToListAsync();

        Assert.Equal(
            contents.Select(c => (TestContent.DigestOf(c), (long)c.Length)).Order(),
            entries.Select(e => (e.Digest, e.Size)).Order());
        Assert.All(entries, e => Assert.InRange(e.CommittedAt, before, DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    private async Task<(Core.Digests.Digest Digest, byte[] Content)> PutRandomAsync(int seed)
    {
        var content = TestContent.Bytes(5_000, seed);
        var digest = TestContent.DigestOf(content);
        await Store.PutAsync(digest, content);
        return (digest, content);
    }

    private async Task AssertOnlyBlobAsync(Core.Digests.Digest digest, byte[] content)
    {
        Assert.Equal(digest, Assert.Single(await Store.ListAsync().ToListAsync()).Digest);
        await using var blob = await Store.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }
}
