using System.Net;

namespace OciRegistry.Testing.Tests;

public sealed class InProcessRegistryTests
{
    [Fact]
    public async Task Answers_BaseEndpoint_OnLoopback_OnceStarted()
    {
        await using var registry = await InProcessRegistry.StartAsync();

        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", registry.BaseAddress.Host);
        Assert.NotEqual(0, registry.BaseAddress.Port);
        Assert.Equal($"127.0.0.1:{registry.BaseAddress.Port}", registry.HostPort);
        Assert.Equal(RegistryTransport.Kestrel, registry.Transport);
    }

    [Fact]
    public async Task Stops_Listening_OnDispose()
    {
        var registry = await InProcessRegistry.StartAsync();
        var baseAddress = registry.BaseAddress;

        await registry.DisposeAsync();

        using var client = new HttpClient { BaseAddress = baseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("v2/", UriKind.Relative)));
    }

    [Fact]
    public async Task Runs_ManyRegistriesAtOnce_EachWithItsOwnPortAndData()
    {
        var registries = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => InProcessRegistry.StartAsync()));
        try
        {
            Assert.Equal(registries.Length, registries.Select(r => r.BaseAddress.Port).Distinct().Count());
            var digest = await registries[0].Seeder.PushBlobAsync("isolated/app", "only in the first"u8.ToArray());

            foreach (var other in registries.Skip(1))
            {
                using var missing = await other.Client.GetAsync(new Uri($"v2/isolated/app/blobs/{digest}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }

            using var found = await registries[0].Client.GetAsync(new Uri($"v2/isolated/app/blobs/{digest}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        }
        finally
        {
            foreach (var registry in registries)
            {
                await registry.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task KeepsDataInMemory_ByDefault()
    {
        await using var registry = await InProcessRegistry.StartAsync();

        Assert.Null(registry.DataFolder);
    }

    [Fact]
    public async Task UseFileSystem_StoresBlobsInItsFolder_AndDeletesTheFolderOnDispose()
    {
        var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var folder = registry.DataFolder;
        Assert.NotNull(folder);

        var content = "kept on disk"u8.ToArray();
        var digest = await registry.Seeder.PushBlobAsync("disk/app", content);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, file => File.ReadAllBytes(file).AsSpan().SequenceEqual(content) && file.Contains(digest.EncodedString, StringComparison.Ordinal));

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Applies_RegistryOptions()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Registry = registryOptions => registryOptions.DeletesEnabled = false);
        var digest = await registry.Seeder.PushBlobAsync("rules/app", "cannot delete"u8.ToArray());

        using var response = await registry.Client.DeleteAsync(new Uri($"v2/rules/app/blobs/{digest}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
