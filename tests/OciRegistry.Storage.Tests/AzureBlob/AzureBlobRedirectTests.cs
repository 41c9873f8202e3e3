using OciRegistry.Core.References;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.AzureBlob;
using OciRegistry.Testing;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>
/// A registry whose blobs are in Azure (Azurite) sends blob GETs to a SAS URL of the store when
/// <c>BlobRedirectLifetime</c> is set, and the client reads the exact bytes there.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobRedirectTests(AzuriteServer azurite)
{
    [Fact]
    public async Task ALinkedBlob_Redirects307ToTheStore_WholeAndRanged_ButHeadIsAnsweredHere()
    {
        var (registry, content, digest) = await StartWithBlobAsync(TimeSpan.FromMinutes(10));
        await using var _ = registry;
        using var noRedirects = NoRedirectClient(registry);

        using var get = await noRedirects.GetAsync($"/v2/team/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        Assert.Equal(digest.ToString(), get.Headers.GetValues("Docker-Content-Digest").Single());
        var location = get.Headers.Location!;
        Assert.NotEqual(registry.BaseAddress.Authority, location.Authority);

        using var store = new HttpClient();
        Assert.Equal(content, await store.GetByteArrayAsync(location));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, location) { Headers = { Range = new(10, 19) } };
        using var part = await store.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[10..20], await part.Content.ReadAsByteArrayAsync());

        using var head = await noRedirects.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ABlobOfAnotherRepository_IsNotRedirected_ButUnknown()
    {
        var (registry, _, digest) = await StartWithBlobAsync(TimeSpan.FromMinutes(10));
        await using var _ = registry;
        using var noRedirects = NoRedirectClient(registry);

        using var get = await noRedirects.GetAsync($"/v2/team/other/blobs/{digest}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("BLOB_UNKNOWN", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutALifetime_TheRegistryStreamsTheBlobItself()
    {
        var (registry, content, digest) = await StartWithBlobAsync(lifetime: null);
        await using var _ = registry;
        using var noRedirects = NoRedirectClient(registry);

        using var get = await noRedirects.GetAsync($"/v2/team/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    private async Task<(InProcessRegistry Registry, byte[] Content, Core.Digests.Digest Digest)> StartWithBlobAsync(TimeSpan? lifetime)
    {
        var blobs = new AzureBlobStore(azurite.CreateContainer());
        var metadata = new InMemoryMetadataStore();
        var content = TestContent.Bytes(1000, seed: 9);
        var digest = TestContent.DigestOf(content);
        await blobs.PutAsync(digest, content);
        await metadata.LinkBlobAsync(RepositoryName.Parse("team/app"), digest);
        var registry = await InProcessRegistry.StartAsync(options =>
        {
            options.Registry = rules => rules.BlobRedirectLifetime = lifetime;
            // Only reads are exercised: uploads go to a memory store of their own, which no request here touches.
            options.Services = services => services.AddOciRegistry().UseStorage(
                _ => blobs,
                _ => new InMemoryUploadStore(new InMemoryBlobStore()),
                _ => metadata);
        });
        return (registry, content, digest);
    }

    private static HttpClient NoRedirectClient(InProcessRegistry registry) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = registry.BaseAddress };
}
