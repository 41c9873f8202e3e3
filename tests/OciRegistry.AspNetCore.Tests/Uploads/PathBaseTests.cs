using System.Net;
using Microsoft.AspNetCore.Builder;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class PathBaseTests
{
    [Fact]
    public async Task UnderAPathBase_ReturnedLocations_AreFollowedVerbatim()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.App = app =>
        {
            app.UsePathBase("/registry");
            app.UseRouting();
        });
        var content = new byte[] { 1, 2, 3, 4, 5 };
        var digest = RegistryClient.DigestOf(content);

        using var started = await registry.Client.PostAsync("/registry/v2/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = RegistryClient.LocationOf(started);
        Assert.StartsWith("/registry/v2/app/blobs/uploads/", location, StringComparison.Ordinal);

        using var patched = await Registries.ClientOf(registry).PatchChunkAsync(location, content, 0);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        using var put = await registry.Client.PutAsync(RegistryClient.WithDigest(RegistryClient.LocationOf(patched), digest), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var blobLocation = RegistryClient.LocationOf(put);
        Assert.Equal($"/registry/v2/app/blobs/{digest}", blobLocation);

        using var get = await registry.Client.GetAsync(blobLocation);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }
}
