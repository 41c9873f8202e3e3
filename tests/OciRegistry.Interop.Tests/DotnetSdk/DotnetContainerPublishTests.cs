using OciRegistry.Core.References;
using System.Net.Http.Headers;
using System.Text.Json;
using OciRegistry.Core.Storage;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OciRegistry.Interop.Tests.DotnetSdk;

/// <summary>The .NET SDK's container publishing pushes an app image to the registry, mounting the base image's layers.</summary>
public sealed class DotnetContainerPublishTests
{
    [Fact]
    public async Task PublishContainer_PushesTheAppImage_OnTopOfABaseImageFromTheRegistry()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var baseLayer = Layers.Tar("etc/os-release", "NAME=base\n");
        var baseImage = await registry.Seeder.PushImageAsync("base/runtime", "10.0", [baseLayer]);
        using var app = new DotnetContainerPublish();

        var publish = await app.PublishAsync(registry.HostPort, $"{registry.HostPort}/base/runtime:10.0", "apps/hello", "1.0");

        Assert.True(publish.ExitCode == 0, publish.Describe());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/apps/hello/manifests/1.0");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await registry.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        Assert.Equal(2, layers.Count);
        Assert.Equal(baseImage.LayerDigests[0].ToString(), layers[0]);

        var metadata = registry.Services.GetRequiredService<IMetadataStore>();
        foreach (var layer in layers)
        {
            Assert.True(await metadata.IsBlobLinkedAsync(RepositoryName.Parse("apps/hello"), Core.Digests.Digest.Parse(layer!)), $"{layer} is not in apps/hello");
        }

        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString();
        using var configResponse = await registry.Client.GetAsync($"/v2/apps/hello/blobs/{config}");
        using var configJson = JsonDocument.Parse(await configResponse.Content.ReadAsStringAsync());
        var entrypoint = configJson.RootElement.GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(entrypoint, part => part!.Contains("hello", StringComparison.Ordinal));
    }
}
