using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Mirror.Tests.Support;
using OciRegistry.Mirror.Transfer;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Pulls;

/// <summary>Signatures and other referrers cross the mirror: asked for upstream when listed, cached, and exported with the image.</summary>
public sealed class ReferrersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-mirror-referrers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ReferrersOfAMirroredIndex_AreFetchedFromTheUpstream_AndListedWhenItIsGone()
    {
        var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.Zero);
        await using var mirror = setup.Mirror;
        var signed = await SignedIndex.PushAsync(setup.Upstream, "team/app", "1.0");
        var upstreamListing = await ReferrersAsync(setup.Upstream, "team/app", signed.Index);

        var listed = await ReferrersAsync(setup.Mirror, "up/team/app", signed.Index);
        await setup.Upstream.DisposeAsync();
        var offline = await ReferrersAsync(setup.Mirror, "up/team/app", signed.Index);
        using var signature = await setup.Mirror.Client.GetAsync($"/v2/up/team/app/manifests/{signed.Signature}");

        Assert.Equal([signed.Signature], Digests(listed));
        Assert.Equal(upstreamListing, listed);
        Assert.Equal(listed, offline);
        Assert.Equal(HttpStatusCode.OK, signature.StatusCode);
    }

    [Fact]
    public async Task AnUpstreamWithoutTheReferrersApi_IsAskedForTheTagSchemaIndex()
    {
        await using var setup = await MirrorSetup.StartAsync();
        setup.Probe.RefuseReferrersApi = true;
        var signed = await SignedIndex.PushAsync(setup.Upstream, "team/app", "1.0");
        var signatureSize = (await setup.Upstream.Client.GetByteArrayAsync($"/v2/team/app/manifests/{signed.Signature}")).Length;
        var schemaIndex = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{ManifestMediaTypes.OciIndex}}","manifests":[
             {"mediaType":"{{ManifestMediaTypes.OciManifest}}","digest":"{{signed.Signature}}","size":{{signatureSize}},"artifactType":"{{SignedIndex.SignatureType}}"}]}
            """);
        await setup.Upstream.Seeder.PushManifestAsync("team/app", signed.Index.ToString().Replace(':', '-'), schemaIndex, ManifestMediaTypes.OciIndex);

        var listed = await ReferrersAsync(setup.Mirror, "up/team/app", signed.Index);

        Assert.Equal([signed.Signature], Digests(listed));
        Assert.Equal(1, setup.Probe.Count("GET", $"/referrers/{signed.Index}"));
    }

    [Fact]
    public async Task ExportFromTheMirror_ThenImport_KeepsTheUpstreamsReferrers()
    {
        await using var setup = await MirrorSetup.StartAsync();
        await using var inside = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var signed = await SignedIndex.PushAsync(setup.Upstream, "team/app", "1.0");
        using (await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
        }

        var path = Path.Combine(_folder, "images.tar");
        await Transfer(setup.Mirror).ExportAsync(["up/team/app:1.0"], path);
        await Transfer(inside).ImportAsync(path);

        Assert.Equal(signed.Index, DigestHasher.Compute(await inside.Client.GetByteArrayAsync("/v2/up/team/app/manifests/1.0")));
        Assert.Equal(await ReferrersAsync(setup.Upstream, "team/app", signed.Index), await ReferrersAsync(inside, "up/team/app", signed.Index));
        Assert.Equal([signed.Signature], Digests(await ReferrersAsync(inside, "up/team/app", signed.Index)));
    }

    private static ImageTransfer Transfer(InProcessRegistry registry) => ActivatorUtilities.CreateInstance<ImageTransfer>(registry.Services);

    private static async Task<string> ReferrersAsync(InProcessRegistry registry, string repository, Digest subject) =>
        await registry.Client.GetStringAsync($"/v2/{repository}/referrers/{subject}");

    private static Digest[] Digests(string referrers)
    {
        using var json = JsonDocument.Parse(referrers);
        return [.. json.RootElement.GetProperty("manifests").EnumerateArray().Select(m => Digest.Parse(m.GetProperty("digest").GetString()!))];
    }
}
