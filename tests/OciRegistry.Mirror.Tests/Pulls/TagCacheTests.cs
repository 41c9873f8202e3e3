using System.Net;
using OciRegistry.Core.Digests;
using OciRegistry.Mirror.Tests.Support;

namespace OciRegistry.Mirror.Tests.Pulls;

/// <summary>Tags are re-checked with one HEAD per interval, and served from the cache while the upstream is away.</summary>
public sealed class TagCacheTests
{
    private static readonly byte[] Layer = "layer of a cached image"u8.ToArray();

    [Fact]
    public async Task RepeatedTagPulls_WithinTheInterval_AskTheUpstreamOnce()
    {
        await using var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.FromHours(1));
        await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);

        for (var i = 0; i < 5; i++)
        {
            using var response = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, setup.Probe.Count("HEAD", "/manifests/1.0"));
        Assert.Equal(0, setup.Probe.Count("GET", "/manifests/1.0"));
    }

    [Fact]
    public async Task ARestartedMirror_DoesNotAskTheUpstreamAgain_WithinTheInterval()
    {
        var folder = Directory.CreateTempSubdirectory("oci-mirror-restart-").FullName;
        try
        {
            await using var setup = await MirrorSetup.StartAsync();
            await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
            static void Hourly(MirrorOptions m) => m.TagCheckInterval = TimeSpan.FromHours(1);

            await using (var first = await setup.StartMirrorAsync(folder, Hourly))
            {
                using var pulled = await first.Client.GetAsync("/v2/up/team/app/manifests/1.0");
                Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            }

            await using var restarted = await setup.StartMirrorAsync(folder, Hourly);
            using var again = await restarted.Client.GetAsync("/v2/up/team/app/manifests/1.0");

            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(1, setup.Probe.Count("HEAD", "/manifests/1.0"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task MovedTag_IsFollowed_OnceTheIntervalPassed()
    {
        await using var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.Zero);
        await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        using var first = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
        var moved = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", ["a newer layer"u8.ToArray()]);

        using var second = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");

        Assert.Equal(moved.ManifestDigest, DigestHasher.Compute(await second.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task UpstreamStopped_DigestPullsAndCheckedTagsAreStillServed()
    {
        var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.Zero);
        await using var mirror = setup.Mirror;
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        using (var first = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode); // cached and checked before the upstream stops
        }

        await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.LayerDigests[0]}");
        await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.ConfigDigest}");
        await setup.Upstream.DisposeAsync();

        using var byTag = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
        using var byDigest = await setup.Mirror.Client.GetAsync($"/v2/up/team/app/manifests/{image.ManifestDigest}");
        var layer = await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.LayerDigests[0]}");

        Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(await byTag.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        Assert.Equal(Layer, layer);
    }

    [Fact]
    public async Task RateLimitingUpstream_CachedTagsAreServed_UncachedOnesGet429()
    {
        await using var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.Zero);
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        await setup.Upstream.Seeder.PushImageAsync("team/app", "2.0", ["another layer"u8.ToArray()]);
        using (await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
        }

        setup.Probe.RateLimited = true;
        using var cached = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
        using var uncached = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/2.0");

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(await cached.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.TooManyRequests, uncached.StatusCode);
        Assert.Contains("TOOMANYREQUESTS", await uncached.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamStopped_TagsBeyondTheStalenessLimit_AreRefused()
    {
        var setup = await MirrorSetup.StartAsync(m => (m.TagCheckInterval, m.MaxStaleness) = (TimeSpan.Zero, TimeSpan.Zero));
        await using var mirror = setup.Mirror;
        await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        using (await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
        }

        await setup.Upstream.DisposeAsync();
        using var byTag = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");

        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
    }
}
