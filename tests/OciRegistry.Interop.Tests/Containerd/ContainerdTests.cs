using System.Text.Json;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Containerd;

/// <summary>containerd — what Kubernetes nodes use — pulls from and pushes to the registry with its own client.</summary>
public sealed class ContainerdTests
{
    [Fact]
    public async Task Containerd_PullsAndUnpacksAnImage()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var image = await registry.Seeder.PushImageAsync("team/app", "1.0", [Layers.Tar("app/hello.txt", "hello")]);
        await using var containerd = await ContainerdDaemon.StartAsync();

        await containerd.CtrSucceedingAsync("images", "pull", "--plain-http", $"{registry.HostPort}/team/app:1.0");
        var images = await containerd.CtrSucceedingAsync("images", "ls");

        Assert.Contains($"{registry.HostPort}/team/app:1.0", images, StringComparison.Ordinal);
        Assert.Contains(image.ManifestDigest.ToString(), images, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containerd_PullsOnePlatformOfAnIndex()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        var amd64 = await registry.Seeder.PushImageAsync("team/multi", null, [Layers.Tar("amd64.txt", "amd64")]);
        byte[] armLayer = Layers.Tar("arm64.txt", "arm64");
        var arm64 = await registry.Seeder.PushImageAsync("team/multi", null, [armLayer], RegistrySeeder.CreateConfig("linux", "arm64", [armLayer]));
        await registry.Seeder.PushIndexAsync("team/multi", "1.0", [amd64, arm64]);
        await using var containerd = await ContainerdDaemon.StartAsync();

        await containerd.CtrSucceedingAsync("content", "fetch", "--plain-http", "--platform", "linux/arm64", $"{registry.HostPort}/team/multi:1.0");
        var content = await containerd.CtrSucceedingAsync("content", "ls");

        Assert.Contains(arm64.LayerDigests[0].ToString(), content, StringComparison.Ordinal);
        Assert.DoesNotContain(amd64.LayerDigests[0].ToString(), content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containerd_PushesAnImage_ToAnotherRegistry_ByteForByte()
    {
        await using var source = await InProcessRegistry.StartAsync();
        await using var target = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var image = await source.Seeder.PushImageAsync("team/app", "1.0", [Layers.Tar("app/one.txt", "one"), Layers.Tar("app/two.txt", "two")]);
        await using var containerd = await ContainerdDaemon.StartAsync();
        await containerd.CtrSucceedingAsync("images", "pull", "--plain-http", $"{source.HostPort}/team/app:1.0");
        await containerd.CtrSucceedingAsync("images", "tag", $"{source.HostPort}/team/app:1.0", $"{target.HostPort}/mirror/app:1.0");

        await containerd.CtrSucceedingAsync("images", "push", "--plain-http", $"{target.HostPort}/mirror/app:1.0");

        using var head = new HttpRequestMessage(HttpMethod.Head, "/v2/mirror/app/manifests/1.0");
        using var response = await target.Client.SendAsync(head);
        Assert.Equal(image.ManifestDigest.ToString(), response.Headers.GetValues("Docker-Content-Digest").Single());
        foreach (var layer in image.LayerDigests.Append(image.ConfigDigest))
        {
            using var blob = await target.Client.GetAsync($"/v2/mirror/app/blobs/{layer}");
            var bytes = await blob.Content.ReadAsByteArrayAsync();
            Assert.Equal(layer, Core.Digests.DigestHasher.Compute(bytes));
        }

        using var tags = JsonDocument.Parse(await target.Client.GetStringAsync("/v2/mirror/app/tags/list"));
        Assert.Equal("1.0", tags.RootElement.GetProperty("tags")[0].GetString());
    }
}
