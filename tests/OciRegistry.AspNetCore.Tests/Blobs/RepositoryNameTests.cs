using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Blobs;

public sealed class RepositoryNameTests
{
    private static readonly byte[] Content = [7, 7, 7];
    private static readonly string Digest = RegistryClient.DigestOf(Content);

    [Theory]
    [InlineData("UPPER/case")]
    [InlineData("a/../b")]
    [InlineData("a/%2e%2e/b")]
    [InlineData("a//b")]
    [InlineData("-lead")]
    [InlineData("a/./b")]
    public async Task InvalidName_Answers400NameInvalid_AndStoresNothing(string name)
    {
        await using var registry = await Registries.StartAsync();

        // Sent byte for byte: HttpClient would resolve the dot segments before sending.
        var (pushStatus, pushAnswer) = await RawHttp.SendAsync(registry.BaseAddress, "POST", $"/v2/{name}/blobs/uploads/?digest={Digest}", Content);
        Assert.True(pushStatus == 400, pushAnswer);
        Assert.Contains("NAME_INVALID", pushAnswer, StringComparison.Ordinal);
        var (getStatus, getAnswer) = await RawHttp.SendAsync(registry.BaseAddress, "GET", $"/v2/{name}/blobs/{Digest}");
        Assert.True(getStatus == 400, getAnswer);
        Assert.Contains("NAME_INVALID", getAnswer, StringComparison.Ordinal);

        using var catalog = await registry.Client.GetAsync("/v2/_catalog");
        Assert.Equal("{\"repositories\":[]}", await catalog.Content.ReadAsStringAsync());
        foreach (var candidate in new[] { "b", "a/b", "upper/case" })
        {
            using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{candidate}/blobs/{Digest}"));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
    }

    [Fact]
    public async Task DotSegmentsEscapingV2_NeverReachTheRegistry_AndStoreNothing()
    {
        await using var registry = await Registries.StartAsync();

        // Kestrel resolves /v2/%2e%2e/b/... to /b/..., outside the registry's routes.
        var (status, answer) = await RawHttp.SendAsync(registry.BaseAddress, "POST", $"/v2/%2e%2e/b/blobs/uploads/?digest={Digest}", Content);
        Assert.True(status == 404, answer);
        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/b/blobs/{Digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v2/Bad/tags/list")]
    [InlineData("GET", "/v2/Bad/manifests/latest")]
    [InlineData("HEAD", "/v2/Bad/manifests/latest")]
    [InlineData("PUT", "/v2/Bad/manifests/latest")]
    [InlineData("DELETE", "/v2/Bad/manifests/latest")]
    [InlineData("DELETE", "/v2/Bad/blobs/sha256:6a7dc6f4267242f01f6636a45c31da51c036da1e9879abce7e1d0aaa76aad876")]
    [InlineData("GET", "/v2/Bad/referrers/sha256:6a7dc6f4267242f01f6636a45c31da51c036da1e9879abce7e1d0aaa76aad876")]
    [InlineData("GET", "/v2/Bad/blobs/uploads/0123456789abcdef0123456789abcdef")]
    [InlineData("PATCH", "/v2/Bad/blobs/uploads/0123456789abcdef0123456789abcdef")]
    [InlineData("DELETE", "/v2/Bad/blobs/uploads/0123456789abcdef0123456789abcdef")]
    public async Task InvalidName_OnEveryEndpoint_Answers400(string method, string path)
    {
        await using var registry = await Registries.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent("{}"u8.ToArray());
            request.Content.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        }

        using var response = await registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (method != "HEAD")
        {
            await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        }
    }

    [Fact]
    public async Task InvalidName_OverHttpClient_Answers400NameInvalid()
    {
        await using var registry = await Registries.StartAsync();
        await ErrorAssert.HasErrorAsync(registry.Client.PostAsync($"/v2/UPPER/case/blobs/uploads/?digest={Digest}", RegistryClient.Octets(Content)), HttpStatusCode.BadRequest, "NAME_INVALID");
        await ErrorAssert.HasErrorAsync(registry.Client.PostAsync("/v2/UPPER/case/blobs/uploads/", null), HttpStatusCode.BadRequest, "NAME_INVALID");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/UPPER/case/blobs/{Digest}"), HttpStatusCode.BadRequest, "NAME_INVALID");
    }
}
