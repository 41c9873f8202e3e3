using System.Net;
using OciRegistry.Mirror.Tests.Support;

namespace OciRegistry.Mirror.Tests.Upstreams;

/// <summary>
/// How the mirror reaches an upstream served over HTTPS with a certificate from a private authority, and the static
/// bearer token it sends: each setting as an operator writes it, against a real Kestrel upstream.
/// </summary>
public sealed class UpstreamConnectionTests
{
    private static readonly byte[] Layer = "layer served over https"u8.ToArray();

    [Fact]
    public async Task UpstreamCertificate_FromTheConfiguredAuthority_IsAccepted()
    {
        await using var upstream = await HttpsUpstream.StartAsync();
        var digest = await upstream.Seeder.PushBlobAsync("team/app", Layer);
        await using var mirror = await MirrorSetup.StartMirrorOfAsync(upstream.BaseAddress, o => o.CaCertificatePath = upstream.CaCertificatePath);

        var pulled = await mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}");

        Assert.Equal(Layer, pulled);
    }

    [Fact]
    public async Task UpstreamCertificate_FromAnUnknownAuthority_IsRefusedByDefault_BeforeAnyRequest()
    {
        await using var upstream = await HttpsUpstream.StartAsync();
        var digest = await upstream.Seeder.PushBlobAsync("team/app", Layer);
        upstream.Authorizations.Clear();
        await using var mirror = await MirrorSetup.StartMirrorOfAsync(upstream.BaseAddress, _ => { });

        using var response = await mirror.Client.GetAsync($"/v2/up/team/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(upstream.Authorizations); // the handshake failed: no request reached the upstream
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_AcceptsTheUntrustedCertificate()
    {
        await using var upstream = await HttpsUpstream.StartAsync();
        var digest = await upstream.Seeder.PushBlobAsync("team/app", Layer);
        await using var mirror = await MirrorSetup.StartMirrorOfAsync(upstream.BaseAddress, o => o.InsecureSkipTlsVerify = true);

        var pulled = await mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{digest}");

        Assert.Equal(Layer, pulled);
    }

    [Fact]
    public async Task StaticBearerToken_ReachesTheUpstream_OnEveryRequest()
    {
        await using var upstream = await HttpsUpstream.StartAsync();
        var image = await upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        upstream.Authorizations.Clear();
        await using var mirror = await MirrorSetup.StartMirrorOfAsync(upstream.BaseAddress, o =>
        {
            o.CaCertificatePath = upstream.CaCertificatePath;
            o.BearerToken = "static-token-of-the-mirror";
        });

        using var manifest = await mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0");
        var layer = await mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.LayerDigests[0]}");

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(Layer, layer);
        Assert.NotEmpty(upstream.Authorizations);
        Assert.All(upstream.Authorizations, header => Assert.Equal("Bearer static-token-of-the-mirror", header));
    }
}
