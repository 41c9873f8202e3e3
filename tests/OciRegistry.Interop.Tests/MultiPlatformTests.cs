using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo <c>--all</c> pushes and pulls a two-platform image index.</summary>
public sealed class MultiPlatformTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PushedIndex_InspectsAsIndexAndPullsBackWithEveryPlatform(bool useFileSystem)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var amd64 = source.AddImage([21, 22], architecture: "amd64");
        var arm64 = source.AddImage([31, 32], architecture: "arm64");
        var index = source.AddIndex([(amd64, "linux", "amd64"), (arm64, "linux", "arm64")]);
        source.Tag(index, "multi");
        var remote = session.DockerReference("interop/multi", "multi");

        await session.Skopeo.RunSucceedingAsync("copy", "--all", "--dest-tls-verify=false", $"oci:{source.Folder}:multi", remote);

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        Assert.Equal(index.Digest, SkopeoJson.DigestOfRaw(raw));
        var parsed = SkopeoJson.Parse(raw);
        Assert.Equal(OciMediaTypes.ImageIndex, parsed["mediaType"]!.GetValue<string>());
        Assert.Equal(
            [amd64.Manifest.Digest, arm64.Manifest.Digest],
            parsed["manifests"]!.AsArray().Select(entry => entry!["digest"]!.GetValue<string>()));

        var arm64Inspected = SkopeoJson.Parse(await session.Skopeo.RunSucceedingAsync(
            "--override-arch", "arm64", "--override-os", "linux", "inspect", "--tls-verify=false", remote));
        Assert.Equal(index.Digest, arm64Inspected["Digest"]!.GetValue<string>());
        Assert.Equal("arm64", arm64Inspected["Architecture"]!.GetValue<string>());
        Assert.Equal(arm64.Layers.Select(layer => layer.Digest), SkopeoJson.Strings(arm64Inspected["Layers"]));

        var pulledFolder = session.FolderPath("pulled");
        await session.Skopeo.RunSucceedingAsync("copy", "--all", "--src-tls-verify=false", remote, $"oci:{pulledFolder}:multi");

        var pulled = new OciLayoutReader(pulledFolder);
        var sourceBlobs = new OciLayoutReader(source.Folder);
        Assert.Equal(index, pulled.Resolve("multi"));
        Assert.Equal(sourceBlobs.ReadBlob(index.Digest), pulled.ReadBlob(index.Digest));
        foreach (var image in new[] { amd64, arm64 })
        {
            Assert.Equal(sourceBlobs.ReadBlob(image.Manifest.Digest), pulled.ReadBlob(image.Manifest.Digest));
            Assert.Equal(sourceBlobs.ReadBlob(image.Config.Digest), pulled.ReadBlob(image.Config.Digest));
            foreach (var layer in image.Layers)
            {
                Assert.Equal(sourceBlobs.ReadBlob(layer.Digest), pulled.ReadBlob(layer.Digest));
            }
        }
    }
}
