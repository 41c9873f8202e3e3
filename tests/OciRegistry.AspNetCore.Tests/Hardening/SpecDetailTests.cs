using System.Net;
using System.Text;
using System.Text.Json;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Manifests;
using TestManifests = OciRegistry.AspNetCore.Tests.Support.Manifests;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>What the distribution spec's newest conformance suite and RFC 9110 expect in the small details of answers.</summary>
public sealed class SpecDetailTests
{
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");

    [Fact]
    public async Task RangeOfAnUnknownUnit_IsIgnored_AndTheWholeBlobServed()
    {
        await using var registry = await Registries.StartAsync();
        var content = Encoding.UTF8.GetBytes("0123456789");
        var digest = await Registries.ClientOf(registry).PushBlobAsync("spec/range", content);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/spec/range/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", "items=0-5");
        using var response = await registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Blobs_AreServedWithNoSniff()
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("spec/sniff", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"));

        using var response = await registry.Client.GetAsync($"/v2/spec/sniff/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", false)]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", false)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", true)]
    public async Task NonDistributableLayersNeverPushed_AreAccepted(string mediaType, bool withUrls)
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        await client.PushBlobAsync("spec/foreign", Config);
        var foreign = TestManifests.Describe(mediaType, Encoding.UTF8.GetBytes("a layer kept elsewhere"));
        if (withUrls)
        {
            foreign["urls"] = new[] { "https://store.example.com/blobs/layer" };
        }

        var manifest = TestManifests.Image(TestManifests.Describe("application/vnd.oci.image.config.v1+json", Config), [foreign]);

        using var response = await client.PutManifestAsync("spec/foreign", "v1", manifest, ManifestMediaTypes.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(manifest, await registry.Client.GetByteArrayAsync("/v2/spec/foreign/manifests/v1"));
    }

    [Fact]
    public async Task NonDistributableLayers_AreStillValidated()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        await client.PushBlobAsync("spec/foreign", Config);
        var foreign = new Dictionary<string, object>
        {
            ["mediaType"] = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            ["digest"] = "sha256:not-a-digest",
            ["size"] = 10,
        };
        var manifest = TestManifests.Image(TestManifests.Describe("application/vnd.oci.image.config.v1+json", Config), [foreign]);

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("spec/foreign", "v1", manifest, ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task DistributableLayersNeverPushed_AreStillRefused()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        await client.PushBlobAsync("spec/missing", Config);
        var manifest = TestManifests.Image(
            TestManifests.Describe("application/vnd.oci.image.config.v1+json", Config),
            [TestManifests.Describe("application/vnd.oci.image.layer.v1.tar+gzip", Encoding.UTF8.GetBytes("never pushed"))]);

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("spec/missing", "v1", manifest, ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task PutByDigest_WithTagParameters_SetsEachTag_AndAnswersOneOciTagHeaderPerTag()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (_, manifest) = await client.PushImageAsync("spec/tags", "seed");
        var digest = RegistryClient.DigestOf(manifest);

        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new(ManifestMediaTypes.OciManifest);
        using var response = await registry.Client.PutAsync($"/v2/spec/tags/manifests/{digest}?tag=1.2.3&tag=1.2&tag=latest", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["1.2.3", "1.2", "latest"], response.Headers.GetValues("OCI-Tag"));
        foreach (var tag in new[] { "1.2.3", "1.2", "latest" })
        {
            Assert.Equal(manifest, await registry.Client.GetByteArrayAsync($"/v2/spec/tags/manifests/{tag}"));
        }
    }

    [Fact]
    public async Task PutByDigest_WithAnInvalidTagParameter_StoresNothing()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (_, manifest) = await client.PushImageAsync("spec/badtag", "seed");
        var other = TestManifests.Image(TestManifests.Describe("application/vnd.oci.image.config.v1+json", Config), [], annotations: new Dictionary<string, string> { ["k"] = "v" });
        await client.PushBlobAsync("spec/badtag", Config);
        var digest = RegistryClient.DigestOf(other);

        using var content = new ByteArrayContent(other);
        content.Headers.ContentType = new(ManifestMediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync($"/v2/spec/badtag/manifests/{digest}?tag=good&tag=-bad", content), HttpStatusCode.BadRequest, "MANIFEST_INVALID");

        using var byDigest = await registry.Client.GetAsync($"/v2/spec/badtag/manifests/{digest}");
        using var byTag = await registry.Client.GetAsync("/v2/spec/badtag/manifests/good");
        Assert.Equal(HttpStatusCode.NotFound, byDigest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
        Assert.Equal(manifest, await registry.Client.GetByteArrayAsync("/v2/spec/badtag/manifests/seed"));
    }

    [Fact]
    public async Task JsonBodies_DoNotEscapePlusOrApostrophe()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (subject, _) = await client.PushImageAsync("spec/json", "v1");
        await client.PushImageAsync("spec/json", "sig", "other layer", subject: new Dictionary<string, object>
        {
            ["mediaType"] = ManifestMediaTypes.OciManifest,
            ["digest"] = subject,
            ["size"] = 1,
        }, artifactType: "application/vnd.example+json");

        var referrers = await registry.Client.GetStringAsync($"/v2/spec/json/referrers/{subject}");
        using var error = await registry.Client.GetAsync("/v2/spec/json/manifests/it's");

        Assert.Contains("application/vnd.oci.image.manifest.v1+json", referrers, StringComparison.Ordinal);
        Assert.Contains("application/vnd.example+json", referrers, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", referrers, StringComparison.Ordinal);
        var errorBody = await error.Content.ReadAsStringAsync();
        Assert.Contains("it's", errorBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", errorBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorBodies_LeaveOutAnAbsentDetail()
    {
        await using var registry = await Registries.StartAsync();

        using var response = await registry.Client.PostAsync("/v2/spec/detail/blobs/uploads/nonexistent", null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("errors")[0];

        Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        Assert.False(error.TryGetProperty("detail", out _), error.GetRawText());
    }

    [Theory]
    [InlineData("/v2/spec/digest/manifests/sha256:baddigeststring")]
    [InlineData("/v2/spec/digest/blobs/sha256:baddigeststring")]
    public async Task AMalformedDigestInAGet_IsDigestInvalid_WithoutTalkOfUploadedContent(string path)
    {
        await using var registry = await Registries.StartAsync();

        using var response = await registry.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("errors")[0];

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", error.GetProperty("code").GetString());
        Assert.DoesNotContain("uploaded content", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("sha256:baddigeststring", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
