using OciRegistry.Core.References;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Eviction;
using OciRegistry.Mirror.Tests.Support;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Eviction;

/// <summary>
/// Cached images leave by their last pull (age, then a size budget) through the collector's rules: nothing pulled within
/// the grace period, and no blob another repository links. On a clock advanced by hand; the background eviction's
/// interval is never reached.
/// </summary>
public sealed class EvictionTests
{
    // Longer than any test's advance, and within what a timer takes.
    private static readonly TimeSpan Never = TimeSpan.FromDays(30);

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task ImagesNotPulledForMaxAge_AreEvicted_AndFetchedAgainOnTheNextPull()
    {
        await using var setup = await StartAsync(e => e.MaxAge = TimeSpan.FromDays(1));
        var old = await setup.Upstream.Seeder.PushImageAsync("team/old", "1.0", [Bytes("old layer", 1000)]);
        var fresh = await setup.Upstream.Seeder.PushImageAsync("team/fresh", "1.0", [Bytes("fresh layer", 1000)]);
        await PullAsync(setup.Mirror, "up/team/old", old);
        _clock.Advance(TimeSpan.FromDays(2));
        await PullAsync(setup.Mirror, "up/team/fresh", fresh);
        _clock.Advance(TimeSpan.FromHours(2));

        var evicted = await EvictAsync(setup);

        Assert.Equal([new RepositoryDigest(RepositoryName.Parse("up/team/old"), old.ManifestDigest)], evicted);
        Assert.False(await IsCachedAsync(setup, "up/team/old", old));
        Assert.True(await IsCachedAsync(setup, "up/team/fresh", fresh));
        Assert.Null(await Blobs(setup).GetSizeAsync(old.LayerDigests[0]));
        Assert.NotNull(await Blobs(setup).GetSizeAsync(fresh.LayerDigests[0]));

        var fetchesBefore = setup.Probe.Count("GET", $"/blobs/{old.LayerDigests[0]}");
        await PullAsync(setup.Mirror, "up/team/old", old);
        Assert.Equal(fetchesBefore + 1, setup.Probe.Count("GET", $"/blobs/{old.LayerDigests[0]}"));
        Assert.True(await IsCachedAsync(setup, "up/team/old", old));
    }

    [Fact]
    public async Task OverTheBudget_TheLeastRecentlyPulledImageGoes_NotTheFirstCached()
    {
        const int LayerBytes = 100_000;
        await using var setup = await StartAsync(e => e.MaxBytes = (5 * LayerBytes) / 2);
        var a = await setup.Upstream.Seeder.PushImageAsync("team/a", "1.0", [Bytes("a", LayerBytes)]);
        var b = await setup.Upstream.Seeder.PushImageAsync("team/b", "1.0", [Bytes("b", LayerBytes)]);
        var c = await setup.Upstream.Seeder.PushImageAsync("team/c", "1.0", [Bytes("c", LayerBytes)]);
        foreach (var (repository, image) in new[] { ("up/team/a", a), ("up/team/b", b), ("up/team/c", c), ("up/team/a", a) })
        {
            await PullAsync(setup.Mirror, repository, image);
            _clock.Advance(TimeSpan.FromHours(2));
        }

        var evicted = await EvictAsync(setup);

        Assert.Equal([new RepositoryDigest(RepositoryName.Parse("up/team/b"), b.ManifestDigest)], evicted);
        Assert.True(await IsCachedAsync(setup, "up/team/a", a));
        Assert.True(await IsCachedAsync(setup, "up/team/c", c));
        Assert.Null(await Blobs(setup).GetSizeAsync(b.LayerDigests[0]));
    }

    [Fact]
    public async Task ImagesPulledWithinTheGracePeriod_StayEvenOverTheBudget()
    {
        await using var setup = await StartAsync(e => e.MaxBytes = 0);
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Bytes("layer", 1000)]);
        await PullAsync(setup.Mirror, "up/team/app", image);
        _clock.Advance(GarbageCollectionOptions.DefaultGracePeriod / 2);

        Assert.Empty(await EvictAsync(setup));
        Assert.True(await IsCachedAsync(setup, "up/team/app", image));
    }

    [Fact]
    public async Task ALayerALocalRepositoryAlsoHolds_StaysWhenTheCachedImageIsEvicted()
    {
        await using var setup = await StartAsync(e => e.MaxAge = TimeSpan.FromDays(1));
        var shared = Bytes("shared layer", 1000);
        var cached = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [shared]);
        await PullAsync(setup.Mirror, "up/team/app", cached);
        var local = await setup.Mirror.Seeder.PushImageAsync("local/app", "1.0", [shared]);
        _clock.Advance(TimeSpan.FromDays(2));

        var evicted = await EvictAsync(setup);

        Assert.Equal([new RepositoryDigest(RepositoryName.Parse("up/team/app"), cached.ManifestDigest)], evicted);
        Assert.Equal(shared, await setup.Mirror.Client.GetByteArrayAsync($"/v2/local/app/blobs/{local.LayerDigests[0]}"));
    }

    [Fact]
    public async Task AnEvictedTag_IsAskedForAgain_EvenWithinItsCheckInterval()
    {
        await using var setup = await StartAsync(e => e.MaxAge = TimeSpan.FromDays(1), tagCheckInterval: Never);
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Bytes("layer", 1000)]);
        await PullAsync(setup.Mirror, "up/team/app", image);
        _clock.Advance(TimeSpan.FromDays(2));
        await EvictAsync(setup);

        using var again = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, setup.Probe.Count("HEAD", "/manifests/1.0"));
    }

    [Fact]
    public async Task ADryRun_ReportsWhatWouldGo_AndRemovesNothing_ThenApplyingEvictsAndFreesExactlyThat()
    {
        const int LayerBytes = 100_000;
        await using var setup = await StartAsync(e => e.MaxBytes = (5 * LayerBytes) / 2);
        var images = new List<SeededImage>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            images.Add(await setup.Upstream.Seeder.PushImageAsync($"team/{name}", "1.0", [Bytes(name, LayerBytes)]));
            await PullAsync(setup.Mirror, $"up/team/{name}", images[^1]);
            _clock.Advance(TimeSpan.FromHours(2));
        }

        var sizes = new List<long>();
        foreach (var image in images)
        {
            var config = await setup.Upstream.Client.GetByteArrayAsync($"/v2/{image.Repository}/blobs/{image.ConfigDigest}");
            sizes.Add(image.ManifestSize + config.Length + LayerBytes);
        }

        var preview = await Eviction(setup).EvictAsync(dryRun: true);
        var allKept = await Task.WhenAll(images.Select(i => IsCachedAsync(setup, $"up/{i.Repository}", i)));
        var applied = await Eviction(setup).EvictAsync(dryRun: false);

        Assert.True(preview.DryRun);
        Assert.Null(preview.Collection);
        Assert.Equal(sizes.Sum(), preview.CachedBytes);
        var chosen = Assert.Single(preview.Images);
        Assert.Equal((RepositoryName.Parse("up/team/a"), images[0].ManifestDigest, sizes[0]), (chosen.Repository, chosen.Digest, chosen.Bytes));
        Assert.Equal(sizes[1] + sizes[2], preview.RemainingBytes);
        Assert.All(allKept, Assert.True);
        Assert.False(applied.DryRun);
        Assert.Equal(preview.Images, applied.Images);
        Assert.Equal(sizes[0], applied.Collection?.BytesFreed);
        Assert.False(await IsCachedAsync(setup, "up/team/a", images[0]));
    }

    private Task<MirrorSetup> StartAsync(Action<EvictionOptions> limits, TimeSpan? tagCheckInterval = null) =>
        MirrorSetup.StartAsync(
            m =>
            {
                limits(m.Eviction);
                m.Eviction.Interval = Never;
                m.TagCheckInterval = tagCheckInterval ?? MirrorOptions.DefaultTagCheckInterval;
            },
            time: _clock);

    private static IMirrorEviction Eviction(MirrorSetup setup) => setup.Mirror.Services.GetRequiredService<IMirrorEviction>();

    private static async Task<List<RepositoryDigest>> EvictAsync(MirrorSetup setup) =>
        [.. (await Eviction(setup).EvictAsync(dryRun: false)).Images.Select(i => new RepositoryDigest(i.Repository, i.Digest))];

    private static IBlobStore Blobs(MirrorSetup setup) => setup.Mirror.Services.GetRequiredService<IBlobStore>();

    private static async Task<bool> IsCachedAsync(MirrorSetup setup, string repository, SeededImage image) =>
        await setup.Mirror.Services.GetRequiredService<IMetadataStore>().GetManifestAsync(RepositoryName.Parse(repository), image.ManifestDigest) is not null;

    // A client's pull: the manifest by tag, then its config and layers; returns once the mirror has stored them.
    private static async Task PullAsync(InProcessRegistry mirror, string repository, SeededImage image)
    {
        using var manifest = await mirror.Client.GetAsync($"/v2/{repository}/manifests/1.0");
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(await manifest.Content.ReadAsByteArrayAsync()));
        foreach (var blob in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.Equal(blob, DigestHasher.Compute(await mirror.Client.GetByteArrayAsync($"/v2/{repository}/blobs/{blob}")));
            await mirror.Services.GetRequiredService<BlobFills>().CompletionOf(blob);
        }
    }

    private static byte[] Bytes(string seed, int length) =>
        [.. Enumerable.Range(0, length).Select(i => (byte)seed[i % seed.Length])];
}
