using System.Net;
using System.Net.Http.Headers;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Blobs;

public sealed class BlobReadTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Get_ReturnsBytes_WithLengthDigestAndAcceptRanges(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", Content);

        using var response = await registry.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task Head_ReturnsHeaders_WithoutBody()
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", Content);

        using var response = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=10-19", 10, 10)]
    [InlineData("bytes=90-", 90, 10)]
    [InlineData("bytes=-5", 95, 5)]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=50-1000", 50, 50)]
    public async Task Get_WithRange_Answers206_WithContentRange(string range, int start, int length)
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", Content);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(start, start + length - 1, Content.Length), response.Content.Headers.ContentRange);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(Content[start..(start + length)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=200-300")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-2")]
    public async Task Get_WithBadRange_Answers416(string range)
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", Content);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task Blob_PushedToOneRepository_IsUnknownInAnother()
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("repo-a", Content);

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/repo-b/blobs/{digest}"), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/repo-b/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("sha256:xyz")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("notadigest")]
    public async Task Get_WithInvalidDigest_Answers400DigestInvalid(string digest)
    {
        await using var registry = await Registries.StartAsync();
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/blobs/{digest}"), HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
