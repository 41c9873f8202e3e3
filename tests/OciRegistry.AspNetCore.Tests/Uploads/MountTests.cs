using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class MountTests
{
    private static readonly byte[] Content = [4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task MountFrom_RepositoryWithTheBlob_Answers201_AndTheBlobIsVisible(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var digest = await Registries.ClientOf(registry).PushBlobAsync("source", Content);

        using (var before = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/target/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using var mounted = await registry.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal($"/v2/target/blobs/{digest}", RegistryClient.LocationOf(mounted));
        Assert.Equal(digest, mounted.Headers.GetValues("Docker-Content-Digest").Single());

        using var get = await registry.Client.GetAsync($"/v2/target/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(Content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MountFrom_RepositoryWithoutTheBlob_StartsASession()
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("elsewhere", Content);
        await Registries.ClientOf(registry).PushBlobAsync("source", [9]);

        using var response = await registry.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("/v2/target/blobs/uploads/", RegistryClient.LocationOf(response), StringComparison.Ordinal);
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
        using var head = await registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/target/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task MountWithoutFrom_Answers201_WhenTheRegistryKnowsTheBlob()
    {
        await using var registry = await Registries.StartAsync();
        var digest = await Registries.ClientOf(registry).PushBlobAsync("source", Content);

        using var response = await registry.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var get = await registry.Client.GetAsync($"/v2/target/blobs/{digest}");
        Assert.Equal(Content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MountWithoutFrom_StartsASession_WhenTheBlobIsUnknown()
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.PostAsync($"/v2/target/blobs/uploads/?mount={RegistryClient.DigestOf(Content)}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task MountWithoutFrom_StartsASession_WhenTurnedOff()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MountWithoutFrom = false);
        var digest = await Registries.ClientOf(registry).PushBlobAsync("source", Content);
        using var response = await registry.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
