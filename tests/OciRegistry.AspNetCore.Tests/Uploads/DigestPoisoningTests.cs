using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

/// <summary>
/// Issue 10's first reproduction over real HTTP: content X is pushed into a session with PATCH; a second PATCH on the
/// same session sends only its headers; <c>PUT ?digest=sha256(X)</c> arrives with no body; then the second PATCH's body
/// Y. Before the fix the PUT answered 201 and the store kept X+Y under sha256(X), so a later genuine push of X was
/// dropped as "already stored" and its manifest refused. Whatever the PUT answers now, sha256(X) serves exactly X.
/// </summary>
public sealed class DigestPoisoningTests
{
    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task APatchBodyArrivingAfterTheFinalPut_NeverEndsUpUnderTheDigest(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var x = Content(10_000, seed: 1);
        var y = Content(5_000, seed: 2);
        var digestOfX = RegistryClient.DigestOf(x);
        var location = await client.StartUploadAsync("attacker/app");
        using (var first = await client.PatchChunkAsync(location, x, 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        // The second PATCH is inside the registry's handler (it was told 100 Continue) with none of its body sent.
        using var secondPatch = await RawHttp.SendHeadAsync(
            registry.BaseAddress,
            $"PATCH {location} HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: {y.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
        using var put = await registry.Client.PutAsync(RegistryClient.WithDigest(location, digestOfX), null);
        await secondPatch.GetStream().WriteAsync(y);
        var (patchStatus, patchAnswer) = await RawHttp.ReadAnswerAsync(secondPatch);

        Assert.True(put.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"PUT answered {put.StatusCode}");
        Assert.True(patchStatus is 202 or 400 or 404, patchAnswer);
        using (var served = await registry.Client.GetAsync($"/v2/attacker/app/blobs/{digestOfX}"))
        {
            if (put.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
                Assert.Equal(x, await served.Content.ReadAsByteArrayAsync());
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
            }
        }

        // A genuine push of X elsewhere is stored and its manifest accepted; sha256(X) serves exactly X.
        var image = await registry.Seeder.PushImageAsync("victim/app", "1.0", [x]);
        Assert.Equal(digestOfX, image.LayerDigests.Single().ToString());
        using var pulled = await registry.Client.GetAsync($"/v2/victim/app/blobs/{digestOfX}");
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(x, await pulled.Content.ReadAsByteArrayAsync());
        using var manifest = await registry.Client.GetAsync($"/v2/victim/app/manifests/1.0");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
    }

    private static byte[] Content(int length, int seed)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }
}
