using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Manifests;

public sealed class ManifestDeleteTests
{
    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task DeleteByTag_RemovesOnlyTheTag(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var (digest, manifest) = await client.PushImageAsync("app", "v1");
        await client.PushManifestAsync("app", "stable", manifest);

        using (var deleted = await registry.Client.DeleteAsync("/v2/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/manifests/v1"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var byDigest = await registry.Client.GetAsync($"/v2/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        using var otherTag = await registry.Client.GetAsync("/v2/app/manifests/stable");
        Assert.Equal(HttpStatusCode.OK, otherTag.StatusCode);
        var tags = await client.GetJsonAsync("/v2/app/tags/list");
        Assert.Equal(["stable"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task DeleteByDigest_RemovesTheManifestAndItsTags(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var (digest, manifest) = await client.PushImageAsync("app", "v1");
        await client.PushManifestAsync("app", "stable", manifest);
        await client.PushImageAsync("app", "other", "another layer");

        using (var deleted = await registry.Client.DeleteAsync($"/v2/app/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/manifests/{digest}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/manifests/v1"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/manifests/stable"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        var tags = await client.GetJsonAsync("/v2/app/tags/list");
        Assert.Equal(["other"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/app/manifests/{digest}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task UnknownTag_Answers404ManifestUnknown_AndUnknownRepository404NameUnknown()
    {
        await using var registry = await Registries.StartAsync();
        await Registries.ClientOf(registry).PushImageAsync("app", "v1");

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/manifests/nope"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using (var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/app/manifests/nope")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/manifests/{RegistryClient.DigestOf([0])}"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync("/v2/app/manifests/nope"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/nowhere/manifests/v1"), HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task DeletesDisabled_Answer405Unsupported_AndLeaveDataUntouched()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.DeletesEnabled = false);
        var client = Registries.ClientOf(registry);
        var (digest, manifest) = await client.PushImageAsync("app", "v1", "the layer");
        var layer = RegistryClient.DigestOf(System.Text.Encoding.UTF8.GetBytes("the layer"));

        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync("/v2/app/manifests/v1"), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/app/manifests/{digest}"), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/app/blobs/{layer}"), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");

        using var byTag = await registry.Client.GetAsync("/v2/app/manifests/v1");
        Assert.Equal(manifest, await byTag.Content.ReadAsByteArrayAsync());
        using var blob = await registry.Client.GetAsync($"/v2/app/blobs/{layer}");
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
    }
}
