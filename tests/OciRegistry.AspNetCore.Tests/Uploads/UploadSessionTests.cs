using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class UploadSessionTests
{
    [Fact]
    public async Task Post_StartsSession_With202LocationRangeAndUuid()
    {
        await using var registry = await Registries.StartAsync();
        using var response = await registry.Client.PostAsync("/v2/app/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = RegistryClient.LocationOf(response);
        var uuid = response.Headers.GetValues("Docker-Upload-UUID").Single();
        Assert.Equal($"/v2/app/blobs/uploads/{uuid}", location);
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
        Assert.False(response.Headers.Contains("OCI-Chunk-Min-Length"));
    }

    [Fact]
    public async Task Post_AdvertisesChunkMinLength_WhenConfigured()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.ChunkMinLength = 5 * 1024 * 1024);
        using var response = await registry.Client.PostAsync("/v2/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("5242880", response.Headers.GetValues("OCI-Chunk-Min-Length").Single());
    }

    [Fact]
    public async Task Get_ReportsProgress_With204RangeAndLocation()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        using (var patched = await client.PatchChunkAsync(location, new byte[10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        using var status = await registry.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-9", status.Headers.GetValues("Range").Single());
        Assert.Equal(location, RegistryClient.LocationOf(status));
        Assert.Equal(location.Split('/')[^1], status.Headers.GetValues("Docker-Upload-UUID").Single());
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Delete_CancelsSession_With204_ThenItIsUnknown(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");
        using (var patched = await client.PatchChunkAsync(location, [1, 2, 3], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        using (var cancelled = await registry.Client.DeleteAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(client.PatchChunkAsync(location, [4], 3), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync(RegistryClient.WithDigest(location, RegistryClient.DigestOf([1, 2, 3])), null), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Session_OfOneRepository_IsUnknownUnderAnother()
    {
        await using var registry = await Registries.StartAsync();
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("repo-a");
        var foreign = location.Replace("/v2/repo-a/", "/v2/repo-b/", StringComparison.Ordinal);

        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync(foreign), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(client.PatchChunkAsync(foreign, [1], 0), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync(RegistryClient.WithDigest(foreign, RegistryClient.DigestOf([])), null), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.DeleteAsync(foreign), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");

        using var own = await registry.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task Session_OlderThanItsLifetime_IsUnknown(bool fileSystem)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var registry = await Registries.StartAsync(fileSystem, o =>
        {
            o.Registry = r => r.UploadSessionLifetime = TimeSpan.FromMinutes(10);
            o.Services = services => services.AddSingleton<TimeProvider>(clock);
        });
        var client = Registries.ClientOf(registry);
        var location = await client.StartUploadAsync("app");

        clock.Advance(TimeSpan.FromMinutes(9));
        using (var young = await client.PatchChunkAsync(location, [1, 2], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, young.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync(location), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(client.PatchChunkAsync(location, [3], 2), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(registry.Client.PutAsync(RegistryClient.WithDigest(location, RegistryClient.DigestOf([1, 2])), null), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
