using System.Net.Http.Headers;
using System.Text.Json;
using OciRegistry.Core.Manifests;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Docker;

/// <summary>The docker client reads manifests from the registry and pushes multi-platform lists to it.</summary>
public sealed class DockerCliTests
{
    [Fact]
    public async Task DockerManifestInspect_ReadsTheImage()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        var image = await registry.Seeder.PushImageAsync("team/app", "1.0", [Layers.Tar("app.txt", "app")]);
        using var docker = new DockerCli();

        using var manifest = JsonDocument.Parse(await docker.RunSucceedingAsync("manifest", "inspect", "--insecure", $"{registry.HostPort}/team/app:1.0"));

        Assert.Equal(image.ConfigDigest.ToString(), manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(image.LayerDigests[0].ToString(), manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString());
    }

    [Fact]
    public async Task DockerManifestPush_StoresAMultiPlatformList_AsPushed()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var amd64 = await registry.Seeder.PushImageAsync("team/multi", "amd64", [Layers.Tar("amd64.txt", "amd64")]);
        byte[] armLayer = Layers.Tar("arm64.txt", "arm64");
        var arm64 = await registry.Seeder.PushImageAsync("team/multi", "arm64", [armLayer], RegistrySeeder.CreateConfig("linux", "arm64", [armLayer]));
        using var docker = new DockerCli();
        var list = $"{registry.HostPort}/team/multi:1.0";

        await docker.RunSucceedingAsync("manifest", "create", "--insecure", list, $"{registry.HostPort}/team/multi:amd64", $"{registry.HostPort}/team/multi:arm64");
        await docker.RunSucceedingAsync("manifest", "push", "--insecure", list);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/multi/manifests/1.0");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestMediaTypes.DockerManifestList));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestMediaTypes.OciIndex));
        using var response = await registry.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var stored = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var children = stored.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()).ToList();
        // docker writes an OCI index over OCI images (a Docker manifest list over Docker ones); it is served as pushed.
        Assert.Equal(stored.RootElement.GetProperty("mediaType").GetString(), response.Content.Headers.ContentType?.MediaType);
        Assert.True(ManifestMediaTypes.IsIndex(response.Content.Headers.ContentType!.MediaType!));
        Assert.Equal([amd64.ManifestDigest.ToString(), arm64.ManifestDigest.ToString()], children);
    }
}
