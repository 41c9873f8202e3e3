using System.Net;
using System.Net.Http.Headers;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Routing;

public sealed class BaseAndRoutingTests
{
    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public async Task Base_AnswersOk_WithApiVersion(string path)
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Base_AnswersHead()
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Theory]
    [InlineData("/v2/nothing-here")]
    [InlineData("/v2/repo/unknown/thing")]
    [InlineData("/v2/repo/blobs/uploads/id/extra/more")]
    public async Task UnknownRoute_AnswersJsonError_NotHtml(string path)
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.GetAsync(path);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "UNSUPPORTED");
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Theory]
    [InlineData("POST", "/v2/repo/manifests/latest", "GET, HEAD, PUT, DELETE")]
    [InlineData("PATCH", "/v2/repo/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000", "GET, HEAD, DELETE")]
    [InlineData("GET", "/v2/repo/blobs/uploads/", "POST")]
    [InlineData("POST", "/v2/repo/blobs/uploads/some-id", "GET, PATCH, PUT, DELETE")]
    [InlineData("DELETE", "/v2/repo/tags/list", "GET, HEAD")]
    [InlineData("PUT", "/v2/_catalog", "GET, HEAD")]
    [InlineData("POST", "/v2/", "GET, HEAD")]
    public async Task WrongMethod_Answers405Unsupported_WithAllow(string method, string path, string allow)
    {
        await using var registry = await Registries.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent([]) };
        using var response = await registry.Client.SendAsync(request);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task ListingEndpoints_AnswerHead_AsTheirAllowHeaderPromises()
    {
        await using var registry = await Registries.StartAsync();
        var (digest, _) = await Registries.ClientOf(registry).PushImageAsync("app", "v1");
        foreach (var path in new[] { "/v2/_catalog", "/v2/app/tags/list", $"/v2/app/referrers/{digest}" })
        {
            using var get = await registry.Client.GetAsync(path);
            using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task ErrorBodies_AreJsonWithCodeMessageAndDetail()
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.GetAsync("/v2/repo/manifests/latest");
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal("NAME_UNKNOWN", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal("repo", error.GetProperty("detail").GetProperty("name").GetString());
    }
}
