using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Interop.Tests.Containerd;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Mirror.Upstreams;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Mirror;

/// <summary>
/// One mirror in front of two real upstreams — the Go reference registry with basic auth (<c>dist</c>, for namespace
/// <c>dist.test</c>) and our own server in token mode (<c>ours</c>, for <c>ours.test</c>) — pulled through by real clients.
/// </summary>
public sealed class MirrorInteropTests : IAsyncLifetime
{
    private DistributionRegistry _distribution = null!;
    private TokenUpstream _tokenUpstream = null!;
    private InProcessRegistry _mirror = null!;

    public async Task InitializeAsync()
    {
        _distribution = await DistributionRegistry.StartAsync();
        _tokenUpstream = await TokenUpstream.StartAsync();
        _mirror = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = services => services.AddOciRegistry().AddMirror(m =>
            {
                var dist = new UpstreamOptions { Name = "dist", Url = _distribution.BaseAddress, Username = DistributionRegistry.User, Password = DistributionRegistry.Password };
                dist.Namespaces.Add("dist.test");
                var ours = new UpstreamOptions { Name = "ours", Url = _tokenUpstream.Registry.BaseAddress };
                ours.Namespaces.Add("ours.test");
                m.Upstreams.Add(dist);
                m.Upstreams.Add(ours);
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _tokenUpstream.DisposeAsync();
        await _distribution.DisposeAsync();
    }

    [Fact]
    public async Task Containerd_PullsFromTwoUpstreams_ThroughOneMirror_WithNs()
    {
        var fromDistribution = await _distribution.PushImageAsync("team/app", "1.0", [Layers.Tar("dist.txt", "from distribution")]);
        var fromOurs = await (await _tokenUpstream.SeederForAsync("public/tool")).PushImageAsync("public/tool", "2.0", [Layers.Tar("ours.txt", "from ours")]);
        await using var containerd = await ContainerdDaemon.StartAsync();
        var hostsDir = Directory.CreateTempSubdirectory("hosts-");
        try
        {
            foreach (var host in new[] { "dist.test", "ours.test" })
            {
                Directory.CreateDirectory(Path.Combine(hostsDir.FullName, host));
                await File.WriteAllTextAsync(Path.Combine(hostsDir.FullName, host, "hosts.toml"), $"""
                    server = "https://{host}"

                    [host."http://{_mirror.HostPort}"]
                      capabilities = ["pull", "resolve"]
                    """);
            }

            await containerd.CtrSucceedingAsync("images", "pull", "--hosts-dir", hostsDir.FullName, "dist.test/team/app:1.0");
            await containerd.CtrSucceedingAsync("images", "pull", "--hosts-dir", hostsDir.FullName, "ours.test/public/tool:2.0");
            var images = await containerd.CtrSucceedingAsync("images", "ls");

            Assert.Contains(fromDistribution.ManifestDigest.ToString(), images, StringComparison.Ordinal);
            Assert.Contains(fromOurs.ManifestDigest.ToString(), images, StringComparison.Ordinal);
            using var catalog = JsonDocument.Parse(await _mirror.Client.GetStringAsync("/v2/_catalog"));
            Assert.Equal(["dist/team/app", "ours/public/tool"], catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
        }
        finally
        {
            hostsDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Skopeo_CopiesThroughThePathPrefix_DigestsPreserved()
    {
        var image = await _distribution.PushImageAsync("team/app", "1.0", [Layers.Tar("dist.txt", "from distribution")]);
        using var skopeo = new SkopeoCli();
        var layout = Directory.CreateTempSubdirectory("skopeo-mirror-");
        try
        {
            await skopeo.RunSucceedingAsync("copy", "--preserve-digests", "--src-tls-verify=false", $"docker://{_mirror.HostPort}/dist/team/app:1.0", $"oci:{layout.FullName}:copied");
            var atUpstream = await ManifestDigestAsync(_distribution.Client, "/v2/team/app/manifests/1.0");
            var atMirror = await ManifestDigestAsync(_mirror.Client, "/v2/dist/team/app/manifests/1.0");
            Assert.Equal(image.ManifestDigest.ToString(), atUpstream);
            Assert.Equal(atUpstream, atMirror);
            using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(layout.FullName, "index.json")));

            Assert.Equal(image.ManifestDigest.ToString(), index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString());
        }
        finally
        {
            layout.Delete(recursive: true);
        }
    }

    private static async Task<string?> ManifestDigestAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, path);
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
    }

    [Fact]
    public async Task Sync_FillsTheMirrorFromTheTokenUpstream_UnderItsName()
    {
        var image = await (await _tokenUpstream.SeederForAsync("public/tool")).PushImageAsync("public/tool", "2.0", [Layers.Tar("ours.txt", "synced")]);
        var transfer = ActivatorUtilities.CreateInstance<OciRegistry.Mirror.Transfer.ImageTransfer>(_mirror.Services);

        var summary = await transfer.SyncAsync(new UpstreamOptions { Name = "ours", Url = _tokenUpstream.Registry.BaseAddress }, ["public/tool:2.0"], prefix: "ours");
        await _tokenUpstream.Registry.DisposeAsync();
        using var pulled = await _mirror.Client.GetAsync("/v2/ours/public/tool/manifests/2.0");

        Assert.Equal(2, summary.Blobs);
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(await pulled.Content.ReadAsByteArrayAsync()));
        Assert.Equal(image.LayerDigests[0], DigestHasher.Compute(await _mirror.Client.GetByteArrayAsync($"/v2/ours/public/tool/blobs/{image.LayerDigests[0]}")));
    }
}
