using System.Net;
using System.Security.Cryptography;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server with its blobs and uploads in an object store (each case names which, with its settings and a look into
/// the store that does not go through the registry): pushes, pulls, redirects, readiness.
/// </summary>
public abstract class ObjectStorageServerTests : IDisposable
{
    private protected TemporaryFolder Folder { get; } = new();

    /// <summary>The size of the chunks the test pushes in; the store's own block or part size lies inside the blob.</summary>
    protected abstract int ChunkBytes { get; }

    public void Dispose() => Folder.Dispose();

    [Fact]
    public async Task ABlobPushedInChunks_IsStoredInTheStore_AndPulledBack_ByRedirectToo()
    {
        var store = await CreateStoreAsync();
        await using var server = await ServerProcess.StartServingAsync(Folder.Path, null, [.. ServeArguments(store), "--OciRegistry:BlobRedirectLifetime", "00:05:00"]);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Addresses.Single()) };
        var content = RandomNumberGenerator.GetBytes((7 * ChunkBytes) + 5);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

        var location = await ChunkedPush.PushAsync(client, "team/app", content, ChunkBytes, digest);

        Assert.Equal($"/v2/team/app/blobs/{digest}", location);
        Assert.Contains($"Storage: {StorageLine(store)}", server.Output, StringComparison.Ordinal);
        Assert.Equal(content.Length, await StoredLengthAsync(store, "blobs/" + digest));
        Assert.Empty(await ListAsync(store, "uploads/"));
        using var redirect = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        using var direct = new HttpClient();
        Assert.Equal(content, await direct.GetByteArrayAsync(redirect.Headers.Location));
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_Fails_WhileTheStoreIsMissing()
    {
        await using var server = await ServerProcess.StartServingAsync(Folder.Path, null, ServeArguments("missing-" + Guid.NewGuid().ToString("N")));
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    /// <summary>A new, empty container or bucket; returns its name.</summary>
    protected abstract Task<string> CreateStoreAsync();

    /// <summary>The settings that serve from <paramref name="store"/>, listening on a port of the system's choice.</summary>
    protected abstract string[] ServeArguments(string store);

    /// <summary>How the server's start-up line names <paramref name="store"/>.</summary>
    protected abstract string StorageLine(string store);

    /// <summary>The length of the object named <paramref name="name"/> in <paramref name="store"/>, read from the store.</summary>
    protected abstract Task<long> StoredLengthAsync(string store, string name);

    /// <summary>The names of the objects under <paramref name="prefix"/> in <paramref name="store"/>.</summary>
    protected abstract Task<IReadOnlyList<string>> ListAsync(string store, string prefix);
}
