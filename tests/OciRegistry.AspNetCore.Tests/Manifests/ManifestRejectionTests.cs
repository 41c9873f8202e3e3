using System.Net;
using System.Text;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Manifests;

namespace OciRegistry.AspNetCore.Tests.Manifests;

public sealed class ManifestRejectionTests
{
    [Fact]
    public async Task MissingLayer_Answers400ManifestBlobUnknown()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, _) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        var missing = Support.Manifests.Describe("application/vnd.oci.image.layer.v1.tar", Encoding.UTF8.GetBytes("never pushed"));

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", "v1", Support.Manifests.Image(config, [missing]), ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/manifests/v1"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task MissingConfig_Answers400ManifestBlobUnknown()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (_, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        var missing = Support.Manifests.Describe("application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes("{\"never\":1}"));

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", "v1", Support.Manifests.Image(missing, [layer]), ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task LayerOfAnotherRepository_Answers400ManifestBlobUnknown()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "other");
        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", "v1", Support.Manifests.Image(config, [layer]), ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task IndexWithMissingChild_Answers400ManifestBlobUnknown()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (_, present) = await client.PushImageAsync("multi", "amd64");
        var absent = Support.Manifests.Describe(ManifestMediaTypes.OciManifest, Encoding.UTF8.GetBytes("{\"schemaVersion\":2}"));
        var index = Support.Manifests.Index([Support.Manifests.DescribeManifest(present), absent]);

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("multi", "latest", index, ManifestMediaTypes.OciIndex), HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task BodyMediaTypeDisagreeingWithContentType_Answers400ManifestInvalid()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        var manifest = Support.Manifests.Image(config, [layer]);

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", "v1", manifest, ManifestMediaTypes.DockerManifest), HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":1}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    public async Task MalformedManifest_Answers400ManifestInvalid(string body)
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", "v1", Encoding.UTF8.GetBytes(body), ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task PutByMismatchingDigest_Answers400DigestInvalid()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        var manifest = Support.Manifests.Image(config, [layer]);
        var wrong = RegistryClient.DigestOf([1]);

        await ErrorAssert.HasErrorAsync(client.PutManifestAsync("app", wrong, manifest, ManifestMediaTypes.OciManifest), HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/manifests/{wrong}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task TooLargeManifest_Answers413()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxManifestBytes = 1024);
        var client = Registries.ClientOf(registry);
        var (config, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        var manifest = Support.Manifests.Image(config, [layer], annotations: new Dictionary<string, string> { ["padding"] = new string('x', 2000) });

        using var response = await client.PutManifestAsync("app", "v1", manifest, ManifestMediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");

        // Streamed without Content-Length, the limit holds as well.
        var streamed = new StreamContent(new UnknownLengthStream(new MemoryStream(manifest)));
        streamed.Headers.ContentType = new(ManifestMediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync("/v2/app/manifests/v1", streamed), HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task InvalidTag_Answers400()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, layer) = await ManifestPushPullTests.PushBlobsAsync(client, "app");
        using var response = await client.PutManifestAsync("app", "-bad", Support.Manifests.Image(config, [layer]), ManifestMediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
