using OciRegistry.Core.References;
using System.Net;
using System.Net.Http.Headers;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace OciRegistry.Mirror.Tests.Blobs;

/// <summary>A missed blob is fetched once, streamed to every waiting client while it arrives, and verified before it is kept.</summary>
public sealed class BlobFillTests
{
    private const int LargeLayerBytes = 256 * 1024 * 1024;
    private const int Clients = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task SixteenConcurrentColdPulls_AreServedByOneUpstreamFetch_StreamedBeforeItEnds()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var layer = new byte[LargeLayerBytes];
        new Random(13).NextBytes(layer);
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/big", layer);
        setup.Probe.GatedBlob = $"/blobs/{digest}";

        // Every client must receive its first bytes while the upstream still holds back the rest of the layer: the
        // gate opens only once all sixteen have, so they all joined the same fill and none waited for its end.
        var firstBytes = Enumerable.Range(0, Clients).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var pulls = firstBytes.Select(first => PullAsync(setup, digest, first)).ToArray();
        await Task.WhenAll(firstBytes.Select(f => f.Task)).WaitAsync(Patience);
        setup.Probe.Gate.SetResult();
        var received = await Task.WhenAll(pulls).WaitAsync(Patience);
        await setup.Mirror.Services.GetRequiredService<BlobFills>().CompletionOf(digest).WaitAsync(Patience);

        Assert.All(received, r => Assert.Equal(digest, r));
        Assert.Equal(1, setup.Probe.Count("GET", $"/blobs/{digest}"));
        Assert.NotNull(await BlobStore(setup).GetSizeAsync(digest));
    }

    [Fact]
    public async Task CorruptedUpstreamBlob_BreaksTheDownload_AndIsNotCached()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var layer = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(layer);
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", layer);
        setup.Probe.CorruptBlob = $"/blobs/{digest}";

        var failure = await Record.ExceptionAsync(() => setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}"));
        setup.Probe.CorruptBlob = null;
        var second = await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}");

        Assert.NotNull(failure);
        Assert.Equal(2, setup.Probe.Count("GET", $"/blobs/{digest}"));
        Assert.Equal(digest, DigestHasher.Compute(second));
    }

    [Fact]
    public async Task CorruptedUpstreamBlob_LeavesNothingInTheStore()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", "small corrupted layer"u8.ToArray());
        setup.Probe.CorruptBlob = $"/blobs/{digest}";

        var failure = await Record.ExceptionAsync(() => setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}"));

        Assert.NotNull(failure);
        Assert.Null(await BlobStore(setup).GetSizeAsync(digest));
        Assert.False(await setup.Mirror.Services.GetRequiredService<IMetadataStore>().IsBlobLinkedAsync(RepositoryName.Parse("up/team/app"), digest));
    }

    [Fact]
    public async Task RangeOnAMiss_IsServedFromTheFill()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var layer = new byte[3 * 1024 * 1024];
        new Random(5).NextBytes(layer);
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", layer);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/team/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(1_000_000, 1_999_999);

        using var response = await setup.Mirror.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(layer.AsSpan(1_000_000, 1_000_000).ToArray(), bytes);
        Assert.Equal(1, setup.Probe.Count("GET", $"/blobs/{digest}"));
    }

    [Fact]
    public async Task RangeFarAheadOfTheFill_IsForwardedUpstream_WhileTheFillGoesOnAndStoresTheBlob()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var layer = new byte[48 * 1024 * 1024];
        new Random(11).NextBytes(layer);
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", layer);
        setup.Probe.GatedBlob = $"/blobs/{digest}";
        var start = setup.Probe.GateAfterBytes + FillContent.ForwardLead + 1_000_000;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/up/team/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(start, start + 99_999);

        // The fill stops at the gate, far before the range: only a forwarded request can answer it.
        using var response = await setup.Mirror.Client.SendAsync(request).WaitAsync(Patience);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var fetches = setup.Probe.Count("GET", $"/blobs/{digest}");
        setup.Probe.Gate.SetResult();
        await setup.Mirror.Services.GetRequiredService<BlobFills>().CompletionOf(digest).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(layer.AsSpan((int)start, 100_000).ToArray(), bytes);
        Assert.Equal(2, fetches);
        Assert.Equal(layer.Length, await BlobStore(setup).GetSizeAsync(digest));
    }

    private static IBlobStore BlobStore(MirrorSetup setup) => setup.Mirror.Services.GetRequiredService<IBlobStore>();

    private static async Task<Digest> PullAsync(MirrorSetup setup, Digest digest, TaskCompletionSource firstBytes)
    {
        using var client = new HttpClient { BaseAddress = setup.Mirror.BaseAddress, Timeout = Patience };
        using var response = await client.GetAsync($"/v2/up/team/big/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hasher = DigestHasher.Rent();
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            firstBytes.TrySetResult();
            hasher.Append(buffer.AsSpan(0, read));
        }

        return hasher.Finish();
    }
}
