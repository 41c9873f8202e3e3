using System.Net;
using System.Net.Http.Headers;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class LargeUploadTests
{
    private const long OneGiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task OneGiB_StreamedPatch_OnTheFileSystem_KeepsItsDigest()
    {
        await using var registry = await Registries.StartAsync(fileSystem: true);
        registry.Client.Timeout = TimeSpan.FromMinutes(5);
        var location = await Registries.ClientOf(registry).StartUploadAsync("big");

        using var generated = new GeneratedStream(OneGiB);
        using var body = new StreamContent(generated, 1024 * 1024);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var patched = await registry.Client.PatchAsync(location, body);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal($"0-{OneGiB - 1}", patched.Headers.GetValues("Range").Single());

        var digest = generated.Digest;
        using var put = await registry.Client.PutAsync(RegistryClient.WithDigest(RegistryClient.LocationOf(patched), digest), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());

        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/big/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(OneGiB, head.Content.Headers.ContentLength);

        using var tailRequest = new HttpRequestMessage(HttpMethod.Get, $"/v2/big/blobs/{digest}");
        tailRequest.Headers.Range = new RangeHeaderValue(null, 16);
        using var tail = await registry.Client.SendAsync(tailRequest);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(16, (await tail.Content.ReadAsByteArrayAsync()).Length);
    }
}
