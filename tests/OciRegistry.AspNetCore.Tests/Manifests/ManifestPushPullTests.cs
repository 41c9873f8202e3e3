using System.Net;
using System.Text;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Manifests;

namespace OciRegistry.AspNetCore.Tests.Manifests;

public sealed class ManifestPushPullTests
{
    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task PutByTag_Answers201_WithLocationAndDigest(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var (config, layer) = await PushBlobsAsync(client, "app");
        var manifest = Support.Manifests.Image(config, [layer]);

        using var response = await client.PutManifestAsync("app", "v1", manifest, ManifestMediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var digest = RegistryClient.DigestOf(manifest);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal($"/v2/app/manifests/{digest}", RegistryClient.LocationOf(response));
        Assert.False(response.Headers.Contains("OCI-Subject"));
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task GetAndHead_ByTagAndDigest_ReturnTheExactBytes(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var (config, layer) = await PushBlobsAsync(client, "app");

        // Odd whitespace and key order must survive byte for byte.
        var manifest = Encoding.UTF8.GetBytes($$"""
            {   "layers": [{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layer["digest"]}}","size":{{layer["size"]}}}],
              "schemaVersion":2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config["digest"]}}","size":{{config["size"]}}} }
            """);
        var digest = await client.PushManifestAsync("app", "v1", manifest);
        Assert.Equal(RegistryClient.DigestOf(manifest), digest);

        foreach (var reference in new[] { "v1", digest })
        {
            using var get = await registry.Client.GetAsync($"/v2/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
            Assert.Equal(ManifestMediaTypes.OciManifest, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(manifest.Length, get.Content.Headers.ContentLength);
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());

            using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/manifests/{reference}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(ManifestMediaTypes.OciManifest, head.Content.Headers.ContentType!.MediaType);
            Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
            Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task DockerSchema2Manifest_AndManifestList_AreAccepted(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        var layer = Encoding.UTF8.GetBytes("docker layer");
        await client.PushBlobAsync("docker", config);
        await client.PushBlobAsync("docker", layer);
        var manifest = Support.Manifests.Image(
            Support.Manifests.Describe("application/vnd.docker.container.image.v1+json", config),
            [Support.Manifests.Describe("application/vnd.docker.image.rootfs.diff.tar.gzip", layer)],
            mediaType: ManifestMediaTypes.DockerManifest);
        var manifestDigest = await client.PushManifestAsync("docker", "arm64", manifest, ManifestMediaTypes.DockerManifest);

        var child = Support.Manifests.DescribeManifest(manifest, ManifestMediaTypes.DockerManifest);
        child["platform"] = new Dictionary<string, string> { ["architecture"] = "arm64", ["os"] = "linux" };
        var list = Support.Manifests.Index([child], ManifestMediaTypes.DockerManifestList);
        var listDigest = await client.PushManifestAsync("docker", "latest", list, ManifestMediaTypes.DockerManifestList);

        using var getList = await registry.Client.GetAsync("/v2/docker/manifests/latest");
        Assert.Equal(ManifestMediaTypes.DockerManifestList, getList.Content.Headers.ContentType!.MediaType);
        Assert.Equal(list, await getList.Content.ReadAsByteArrayAsync());
        Assert.Equal(listDigest, getList.Headers.GetValues("Docker-Content-Digest").Single());
        using var getManifest = await registry.Client.GetAsync($"/v2/docker/manifests/{manifestDigest}");
        Assert.Equal(ManifestMediaTypes.DockerManifest, getManifest.Content.Headers.ContentType!.MediaType);
        Assert.Equal(manifest, await getManifest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task OciIndex_WhoseChildrenExist_IsAccepted()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (_, amd64) = await client.PushImageAsync("multi", "amd64", "amd64 layer");
        var (_, arm64) = await client.PushImageAsync("multi", "arm64", "arm64 layer");
        var index = Support.Manifests.Index([Support.Manifests.DescribeManifest(amd64), Support.Manifests.DescribeManifest(arm64)]);

        var digest = await client.PushManifestAsync("multi", "latest", index, ManifestMediaTypes.OciIndex);
        using var get = await registry.Client.GetAsync("/v2/multi/manifests/latest");
        Assert.Equal(ManifestMediaTypes.OciIndex, get.Content.Headers.ContentType!.MediaType);
        Assert.Equal(index, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task PutByDigest_Answers201_AndIsReachableByDigestOnly()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (config, layer) = await PushBlobsAsync(client, "app");
        var manifest = Support.Manifests.Image(config, [layer]);
        var digest = RegistryClient.DigestOf(manifest);

        Assert.Equal(digest, await client.PushManifestAsync("app", digest, manifest));
        using var get = await registry.Client.GetAsync($"/v2/app/manifests/{digest}");
        Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
        var tags = await client.GetJsonAsync("/v2/app/tags/list");
        Assert.Equal(0, tags.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task ManifestWithSubject_AnswersOciSubjectHeader()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (subjectDigest, subjectManifest) = await client.PushImageAsync("app", "v1");

        using var response = await PutImageWithSubjectAsync(client, Support.Manifests.DescribeManifest(subjectManifest));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subjectDigest, response.Headers.GetValues("OCI-Subject").Single());
    }

    [Fact]
    public async Task ManifestWithSubject_IsAccepted_WhenTheSubjectDoesNotExistYet()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var absent = Support.Manifests.Describe(ManifestMediaTypes.OciManifest, Encoding.UTF8.GetBytes("not pushed"));

        using var response = await PutImageWithSubjectAsync(client, absent);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((string)absent["digest"], response.Headers.GetValues("OCI-Subject").Single());
    }

    [Fact]
    public async Task PuttingATagAgain_MovesItToTheNewManifest()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (first, _) = await client.PushImageAsync("app", "latest", "first");
        var (second, secondManifest) = await client.PushImageAsync("app", "latest", "second");

        using var get = await registry.Client.GetAsync("/v2/app/manifests/latest");
        Assert.Equal(second, get.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(secondManifest, await get.Content.ReadAsByteArrayAsync());
        using var old = await registry.Client.GetAsync($"/v2/app/manifests/{first}");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    [Fact]
    public async Task LayerDigest_IsNoManifest_ButManifestDigest_IsABlob()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (digest, manifest) = await client.PushImageAsync("app", "v1", "a layer");
        var layer = RegistryClient.DigestOf(Encoding.UTF8.GetBytes("a layer"));

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/manifests/{layer}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var asBlob = await registry.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, asBlob.StatusCode);
        Assert.Equal(manifest, await asBlob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Manifest_OfOneRepository_IsUnknownInAnother()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var (digest, _) = await client.PushImageAsync("repo-a", "v1");
        await client.PushImageAsync("repo-b", "other", "other");

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/repo-b/manifests/{digest}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/repo-b/manifests/v1"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/repo-b/manifests/{digest}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var own = await registry.Client.GetAsync($"/v2/repo-a/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    private static async Task<HttpResponseMessage> PutImageWithSubjectAsync(RegistryClient client, object subject)
    {
        var (config, layer) = await PushBlobsAsync(client, "app", "signature");
        var manifest = Support.Manifests.Image(config, [layer], subject, artifactType: "application/vnd.example.signature");
        return await client.PutManifestAsync("app", RegistryClient.DigestOf(manifest), manifest, ManifestMediaTypes.OciManifest);
    }

    internal static async Task<(Dictionary<string, object> Config, Dictionary<string, object> Layer)> PushBlobsAsync(RegistryClient client, string repository, string layerText = "layer")
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        await client.PushBlobAsync(repository, config);
        await client.PushBlobAsync(repository, layer);
        return (Support.Manifests.Describe("application/vnd.oci.image.config.v1+json", config), Support.Manifests.Describe("application/vnd.oci.image.layer.v1.tar", layer));
    }
}
