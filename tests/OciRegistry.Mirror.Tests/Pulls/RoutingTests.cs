using System.Net;
using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Mirror.Tests.Support;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Pulls;

/// <summary>Requests reach an upstream by path prefix or by containerd's <c>ns=</c>, only for configured upstreams.</summary>
public sealed class RoutingTests
{
    private static readonly byte[] Layer = "layer bytes of team/app"u8.ToArray();

    [Fact]
    public async Task PathPrefix_ServesTheUpstreamImage_ByteForByte()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);

        using var manifest = await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
        var bytes = await manifest.Content.ReadAsByteArrayAsync();
        var layer = await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.LayerDigests[0]}");

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(bytes));
        Assert.Equal(image.ManifestDigest.ToString(), manifest.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(Layer, layer);
    }

    [Fact]
    public async Task Namespace_RoutesToTheConfiguredUpstream_AndCachesUnderItsName()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var image = await setup.Upstream.Seeder.PushImageAsync("library/app", "1.0", [Layer]);

        using var manifest = await setup.Mirror.Client.GetAsync($"/v2/library/app/manifests/1.0?ns={MirrorSetup.Namespace}");
        var layer = await setup.Mirror.Client.GetByteArrayAsync($"/v2/library/app/blobs/{image.LayerDigests[0]}?ns={MirrorSetup.Namespace}");
        var catalog = JsonDocument.Parse(await setup.Mirror.Client.GetStringAsync("/v2/_catalog"));

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(Layer, layer);
        Assert.Contains("up/library/app", catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task UnconfiguredNamespace_IsNeverContacted()
    {
        await using var setup = await MirrorSetup.StartAsync();
        await setup.Upstream.Seeder.PushImageAsync("library/app", "1.0", [Layer]);

        using var response = await setup.Mirror.Client.GetAsync($"/v2/library/app/manifests/1.0?ns={setup.Upstream.HostPort}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, setup.Probe.Count("HEAD", "/manifests/1.0") + setup.Probe.Count("GET", "/manifests/1.0"));
    }

    [Fact]
    public async Task PushIntoAMirroredNamespace_IsDenied_UnlessAllowed()
    {
        await using var refusing = await MirrorSetup.StartAsync();
        await using var allowing = await MirrorSetup.StartAsync(upstreamOptions: u => u.AllowPushes = true);

        var refused = await Record.ExceptionAsync(() => refusing.Mirror.Seeder.PushBlobAsync("up/team/app", Layer));
        await allowing.Mirror.Seeder.PushBlobAsync("up/team/app", Layer);
        await refusing.Mirror.Seeder.PushBlobAsync("local/app", Layer);

        Assert.Contains("403", refused?.Message ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexChildren_AreFetchedWhenFirstAsked_DigestsPreserved()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var amd64 = await setup.Upstream.Seeder.PushImageAsync("team/multi", null, [Layer]);
        byte[] armLayer = "arm64 layer"u8.ToArray();
        var arm64 = await setup.Upstream.Seeder.PushImageAsync("team/multi", null, [armLayer], RegistrySeeder.CreateConfig("linux", "arm64", [armLayer]));
        var index = await setup.Upstream.Seeder.PushIndexAsync("team/multi", "1.0", [amd64, arm64]);

        using var indexResponse = await setup.Mirror.Client.GetAsync("/v2/up/team/multi/manifests/1.0");
        var armBytes = await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/multi/manifests/{arm64.ManifestDigest}");

        Assert.Equal(index, DigestHasher.Compute(await indexResponse.Content.ReadAsByteArrayAsync()));
        Assert.Equal(arm64.ManifestDigest, DigestHasher.Compute(armBytes));
        Assert.Equal(0, setup.Probe.Count("GET", $"/manifests/{amd64.ManifestDigest}"));
    }

    [Fact]
    public async Task HeadOfAMissedBlob_IsAnsweredFromTheUpstreamsHead_WithoutDownloading()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", Layer);

        using var head = await setup.Mirror.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/up/team/app/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Layer.Length, head.Content.Headers.ContentLength);
        Assert.Equal(1, setup.Probe.Count("HEAD", $"/blobs/{digest}"));
        Assert.Equal(0, setup.Probe.Count("GET", $"/blobs/{digest}"));
    }

    [Fact]
    public async Task BlobMissingUpstream_IsBlobUnknown()
    {
        await using var setup = await MirrorSetup.StartAsync();
        var missing = DigestHasher.Compute("nowhere"u8);

        using var response = await setup.Mirror.Client.GetAsync($"/v2/up/team/app/blobs/{missing}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("BLOB_UNKNOWN", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
