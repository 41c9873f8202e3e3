using System.Net;
using System.Security.Cryptography;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class UploadPushTests
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(3000);

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task MonolithicPost_WithDigest_Answers201_AndStoresTheBlob(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var digest = RegistryClient.DigestOf(Content);
        using var response = await registry.Client.PostAsync($"/v2/app/blobs/uploads/?digest={digest}", RegistryClient.Octets(Content));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/app/blobs/{digest}", RegistryClient.LocationOf(response));
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertStoredAsync(registry.Client, "app", Content);
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task PostThenPut_WithBody_Answers201(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        var digest = RegistryClient.DigestOf(Content);

        using var response = await registry.Client.PutAsync(RegistryClient.WithDigest(location, digest), RegistryClient.Octets(Content));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/app/blobs/{digest}", RegistryClient.LocationOf(response));
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertStoredAsync(registry.Client, "app", Content);
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task ChunkedPatches_ThenPutWithoutBody_Answers201(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        using var response = await Registries.ClientOf(registry).PushChunkedAsync("app", Content, [1000, 1, 999, 1000]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(RegistryClient.DigestOf(Content), response.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertStoredAsync(registry.Client, "app", Content);
    }

    [Fact]
    public async Task ChunkedPatches_ThenPutWithFinalChunk_Answers201()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        using (var patched = await client.PatchChunkAsync(location, Content[..1000], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            location = RegistryClient.LocationOf(patched);
        }

        var last = RegistryClient.Octets(Content[1000..]);
        last.Headers.TryAddWithoutValidation("Content-Range", $"1000-{Content.Length - 1}");
        using var response = await registry.Client.PutAsync(RegistryClient.WithDigest(location, RegistryClient.DigestOf(Content)), last);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertStoredAsync(registry.Client, "app", Content);
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task StreamedPatch_WithoutContentRange_AsDockerSends_Answers202(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");

        // Chunked transfer encoding, no Content-Length, no Content-Range: how docker and containerd push.
        var streamed = new StreamContent(new UnknownLengthStream(new MemoryStream(Content)));
        using var patched = await registry.Client.PatchAsync(location, streamed);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal($"0-{Content.Length - 1}", patched.Headers.GetValues("Range").Single());

        using var put = await registry.Client.PutAsync(RegistryClient.WithDigest(RegistryClient.LocationOf(patched), RegistryClient.DigestOf(Content)), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await AssertStoredAsync(registry.Client, "app", Content);
    }

    [Fact]
    public async Task OutOfOrderChunk_Answers416_WithCurrentRangeAndLocation()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        using (var first = await client.PatchChunkAsync(location, Content[..100], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        foreach (var start in new[] { 0, 50, 101, 200 })
        {
            using var wrong = await client.PatchChunkAsync(location, Content[start..(start + 10)], start);
            await ErrorAssert.HasErrorAsync(wrong, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
            Assert.Equal("0-99", wrong.Headers.GetValues("Range").Single());
            Assert.Equal(location, RegistryClient.LocationOf(wrong));
        }

        // The session is intact: the right next chunk is still accepted.
        using var next = await client.PatchChunkAsync(location, Content[100..], 100);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        using var put = await registry.Client.PutAsync(RegistryClient.WithDigest(location, RegistryClient.DigestOf(Content)), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("5-2")]
    [InlineData("0-99")]
    [InlineData("-1")]
    public async Task MalformedContentRange_Answers416(string contentRange)
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");

        // "0-99" is malformed here because it does not match the 10-byte body.
        var chunk = RegistryClient.Octets(Content[..10]);
        chunk.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        using var response = await registry.Client.PatchAsync(location, chunk);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
        Assert.Equal(location, RegistryClient.LocationOf(response));
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task WrongDigestAtPut_Answers400DigestInvalid_AndStoresNothing(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        var claimed = RegistryClient.DigestOf([1, 2, 3]);

        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync(RegistryClient.WithDigest(location, claimed), RegistryClient.Octets(Content)), HttpStatusCode.BadRequest, "DIGEST_INVALID");
        foreach (var digest in new[] { claimed, RegistryClient.DigestOf(Content) })
        {
            using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
    }

    [Fact]
    public async Task WrongDigestInMonolithicPost_Answers400DigestInvalid_AndStoresNothing()
    {
        await using var registry = await Registries.StartAsync();
        var claimed = RegistryClient.DigestOf([1, 2, 3]);
        await ErrorAssert.HasErrorAsync(registry.Client.PostAsync($"/v2/app/blobs/uploads/?digest={claimed}", RegistryClient.Octets(Content)), HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{claimed}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("sha256:nothex")]
    [InlineData("")]
    public async Task InvalidDigestAtPut_Answers400DigestInvalid(string digest)
    {
        await using var registry = await Registries.StartAsync();
        var location = await Registries.ClientOf(registry).StartUploadAsync("app");
        var target = digest.Length == 0 ? location : RegistryClient.WithDigest(location, digest);
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync(target, RegistryClient.Octets(Content)), HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task ZeroLengthBlob_IsPushedAndServed(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var digest = RegistryClient.DigestOf([]);
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);

        var location = await client.StartUploadAsync("app");
        using (var put = await registry.Client.PutAsync(RegistryClient.WithDigest(location, digest), null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var get = await registry.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(0, get.Content.Headers.ContentLength);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());

        Assert.Equal(digest, await client.PushBlobAsync("other", []));
    }

    private static async Task AssertStoredAsync(HttpClient http, string repository, byte[] content)
    {
        using var get = await http.GetAsync($"/v2/{repository}/blobs/{RegistryClient.DigestOf(content)}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }
}
