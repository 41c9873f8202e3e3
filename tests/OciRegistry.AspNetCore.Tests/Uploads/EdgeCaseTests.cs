using System.Net;
using System.Security.Cryptography;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class EdgeCaseTests
{
    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task UnknownOrForgedSessionIds_Answer404BlobUploadUnknown(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "not-a-session", "a%5Cb", "..%2F..%2Fetc" })
        {
            using var response = await registry.Client.GetAsync($"/v2/app/blobs/uploads/{id}");
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{id}: {(int)response.StatusCode}");
            var code = response.StatusCode == HttpStatusCode.NotFound ? "BLOB_UPLOAD_UNKNOWN" : "NAME_INVALID";
            await ErrorAssert.HasErrorAsync(response, response.StatusCode, code);
        }
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Sha512Blob_IsPushedAndServedUnderItsDigest(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var content = RandomNumberGenerator.GetBytes(777);
        var digest = "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));

        using (var pushed = await registry.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", RegistryClient.Octets(content)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            Assert.Equal(digest, pushed.Headers.GetValues("Docker-Content-Digest").Single());
        }

        var location = await Registries.ClientOf(registry).StartUploadAsync("chunked");
        using (var patched = await Registries.ClientOf(registry).PatchChunkAsync(location, content, 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        using (var put = await registry.Client.PutAsync(RegistryClient.WithDigest(location, digest), null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        foreach (var repository in new[] { "app", "chunked" })
        {
            using var get = await registry.Client.GetAsync($"/v2/{repository}/blobs/{digest}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
        }
    }

    [Fact]
    public async Task BlobLargerThanTheLimit_Answers413WithJson_AndIsNotStored()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxBlobBytes = 100);
        var client = Registries.ClientOf(registry);
        var content = new byte[101];
        var digest = RegistryClient.DigestOf(content);

        await ErrorAssert.HasErrorAsync(registry.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", RegistryClient.Octets(content)), HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
        var streamed = new StreamContent(new UnknownLengthStream(new MemoryStream(content)));
        await ErrorAssert.HasErrorAsync(registry.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", streamed), HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
        var location = await client.StartUploadAsync("app");
        await ErrorAssert.HasErrorAsync(registry.Client.PatchAsync(location, new StreamContent(new UnknownLengthStream(new MemoryStream(content)))), HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");

        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(RegistryClient.DigestOf(new byte[100]), await client.PushBlobAsync("app", new byte[100]));
    }

    [Fact]
    public async Task ChunksAddingUpPastTheLimit_AreRefused()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxBlobBytes = 100);
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        using (var first = await client.PatchChunkAsync(location, new byte[60], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var second = await client.PatchChunkAsync(location, new byte[60], 60);
        // Each request fits Kestrel's per-request limit; the operations refuse the running total.
        await ErrorAssert.HasErrorAsync(second, HttpStatusCode.BadRequest, "SIZE_INVALID");
    }
}
