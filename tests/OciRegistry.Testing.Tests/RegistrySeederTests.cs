using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Testing.Tests;

/// <summary>The seeding API behaves the same over both transports.</summary>
public abstract class RegistrySeederTests(RegistryTransport transport) : IAsyncLifetime
{
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await InProcessRegistry.StartAsync(o => o.Transport = transport);

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task PushBlob_ReturnsTheContentDigest_AndTheBlobReadsBack()
    {
        var content = "a blob"u8.ToArray();

        var digest = await _registry.Seeder.PushBlobAsync("seed/blob", content);

        Assert.Equal(DigestHasher.Compute(content), digest);
        Assert.Equal(content, await GetBytesAsync($"v2/seed/blob/blobs/{digest}"));
    }

    [Fact]
    public async Task PushImage_ServesManifestConfigAndLayers_UnderTheReturnedDigests()
    {
        byte[][] layers = ["layer one"u8.ToArray(), "layer two"u8.ToArray()];

        var image = await _registry.Seeder.PushImageAsync("seed/image", "1.0", layers);

        using var manifestResponse = await GetManifestAsync("seed/image", "1.0");
        var manifest = await manifestResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(ManifestMediaTypes.OciManifest, manifestResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(image.ManifestDigest, DigestHasher.Compute(manifest));
        Assert.Equal(image.ManifestDigest.ToString(), manifestResponse.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(manifest.Length, image.ManifestSize);

        using var document = JsonDocument.Parse(manifest);
        Assert.Equal(image.ConfigDigest.ToString(), document.RootElement.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(
            image.LayerDigests.Select(d => d.ToString()),
            document.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
        Assert.Equal(layers.Select(l => DigestHasher.Compute(l)), image.LayerDigests);
        for (var i = 0; i < layers.Length; i++)
        {
            Assert.Equal(layers[i], await GetBytesAsync($"v2/seed/image/blobs/{image.LayerDigests[i]}"));
        }

        using var config = JsonDocument.Parse(await GetBytesAsync($"v2/seed/image/blobs/{image.ConfigDigest}"));
        Assert.Equal("linux", config.RootElement.GetProperty("os").GetString());
        Assert.Equal(("linux", "amd64"), (image.Os, image.Architecture));
    }

    [Fact]
    public async Task PushImage_WithoutTag_IsReachableByDigestOnly()
    {
        var image = await _registry.Seeder.PushImageAsync("seed/untagged", null, ["untagged"u8.ToArray()]);

        using var byDigest = await GetManifestAsync("seed/untagged", image.ManifestDigest.ToString());
        using var tags = await _registry.Client.GetAsync(new Uri("v2/seed/untagged/tags/list", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        using var tagList = JsonDocument.Parse(await tags.Content.ReadAsStringAsync());
        Assert.True(tagList.RootElement.GetProperty("tags").ValueKind is JsonValueKind.Null || tagList.RootElement.GetProperty("tags").GetArrayLength() == 0);
    }

    [Fact]
    public async Task PushImage_WithOwnConfig_PushesItAsIs_AndReadsItsPlatform()
    {
        byte[][] layers = ["arm layer"u8.ToArray()];
        var config = RegistrySeeder.CreateConfig("linux", "arm64", layers);

        var image = await _registry.Seeder.PushImageAsync("seed/arm", "1", layers, config);

        Assert.Equal(DigestHasher.Compute(config), image.ConfigDigest);
        Assert.Equal(config, await GetBytesAsync($"v2/seed/arm/blobs/{image.ConfigDigest}"));
        Assert.Equal(("linux", "arm64"), (image.Os, image.Architecture));
    }

    [Fact]
    public async Task PushIndex_ListsEveryImageWithItsPlatform()
    {
        byte[][] amdLayers = ["amd64 layer"u8.ToArray()];
        byte[][] armLayers = ["arm64 layer"u8.ToArray()];
        var amd = await _registry.Seeder.PushImageAsync("seed/multi", null, amdLayers, RegistrySeeder.CreateConfig("linux", "amd64", amdLayers));
        var arm = await _registry.Seeder.PushImageAsync("seed/multi", null, armLayers, RegistrySeeder.CreateConfig("linux", "arm64", armLayers));

        var digest = await _registry.Seeder.PushIndexAsync("seed/multi", "latest", [amd, arm]);

        using var response = await GetManifestAsync("seed/multi", "latest");
        var index = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(ManifestMediaTypes.OciIndex, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(digest, DigestHasher.Compute(index));
        using var document = JsonDocument.Parse(index);
        var entries = document.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => (m.GetProperty("digest").GetString(), m.GetProperty("size").GetInt64(), m.GetProperty("platform").GetProperty("architecture").GetString()))
            .ToList();
        Assert.Equal([(amd.ManifestDigest.ToString(), amd.ManifestSize, "amd64"), (arm.ManifestDigest.ToString(), arm.ManifestSize, "arm64")], entries);
    }

    [Fact]
    public async Task Throws_WithTheRegistryError_WhenTheRegistryRefuses()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _registry.Seeder.PushBlobAsync("Not/A/Valid/Name", "x"u8.ToArray()));

        Assert.Contains("NAME_INVALID", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    private async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await _registry.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<HttpResponseMessage> GetManifestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"v2/{repository}/manifests/{reference}", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestMediaTypes.OciManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestMediaTypes.OciIndex));
        var response = await _registry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}

public sealed class RegistrySeederOverKestrelTests() : RegistrySeederTests(RegistryTransport.Kestrel);

public sealed class RegistrySeederInMemoryTests() : RegistrySeederTests(RegistryTransport.InMemory);
