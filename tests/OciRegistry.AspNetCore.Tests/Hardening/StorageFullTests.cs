using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>
/// A full disk is the registry's trouble, not the client's: 507 with the spec's JSON error and Retry-After, nothing left
/// half-stored, and the space the failed push took given back.
/// </summary>
public sealed class StorageFullTests : IAsyncLifetime
{
    private readonly SmallFileSystem _disk = SmallFileSystem.Mount(mebibytes: 2);
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await InProcessRegistry.StartAsync(o =>
        o.Services = services => services.AddOciRegistry().AddFileSystemStorage(storage => storage.RootPath = _disk.Path));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _disk.Dispose();
    }

    [Fact]
    public async Task AMonolithicPushLargerThanTheDisk_Answers507_AndGivesTheSpaceBack()
    {
        var client = Registries.ClientOf(_registry);
        await client.PushBlobAsync("full/app", [1, 2, 3]);
        var free = FreeBytesBesideMetadata();
        var blob = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(blob);

        using var response = await _registry.Client.PostAsync($"/v2/full/app/blobs/uploads/?digest={RegistryClient.DigestOf(blob)}", RegistryClient.Octets(blob));

        await AssertStorageFullAsync(response);
        Assert.Empty(await _registry.Services.GetRequiredService<IUploadStore>().ListAsync().ToListAsync());
        Assert.True(FreeBytesBesideMetadata() >= free, $"{free - FreeBytesBesideMetadata()} bytes were not given back");
        await client.PushBlobAsync("full/app", [4, 5, 6]);
    }

    // The free space plus what the metadata database holds: the session's row was written and removed, and SQLite's
    // write-ahead log keeps the pages until a checkpoint reuses them, so only the bytes of the push are expected back.
    private long FreeBytesBesideMetadata() =>
        _disk.FreeBytes + Directory.EnumerateFiles(_disk.Path, "metadata.db*").Sum(file => new FileInfo(file).Length);

    [Fact]
    public async Task AChunkLargerThanTheDisk_Answers507_AndRemovesTheSession()
    {
        var client = Registries.ClientOf(_registry);
        var location = await client.StartUploadAsync("full/app");
        var free = FreeBytesBesideMetadata();
        var chunk = new byte[3 * 1024 * 1024];

        using var response = await client.PatchChunkAsync(location, chunk, 0);

        await AssertStorageFullAsync(response);
        using var status = await _registry.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.True(FreeBytesBesideMetadata() >= free, $"{free - FreeBytesBesideMetadata()} bytes were not given back");
    }

    private static async Task AssertStorageFullAsync(HttpResponseMessage response)
    {
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.InsufficientStorage, "BLOB_UPLOAD_INVALID");
        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.RetryAfter?.Delta);
    }
}
