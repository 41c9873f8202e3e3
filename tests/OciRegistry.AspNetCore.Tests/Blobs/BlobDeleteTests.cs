using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Blobs;

public sealed class BlobDeleteTests
{
    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Delete_Answers202_ThenTheBlobIs404(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", [1, 2, 3]);

        using var deleted = await registry.Client.DeleteAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync($"/v2/app/blobs/{digest}"), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/app/blobs/{digest}"), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_WhenDeletesDisabled_Answers405Unsupported_AndKeepsTheBlob()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.DeletesEnabled = false);
        var digest = await Registries.ClientOf(registry).PushBlobAsync("app", [1, 2, 3]);

        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync($"/v2/app/blobs/{digest}"), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        using var get = await registry.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal([1, 2, 3], await get.Content.ReadAsByteArrayAsync());
    }
}
