using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo pushes single-platform OCI images, inspects them and pulls them back unchanged.</summary>
public sealed class ImagePushPullTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PushedThreeLayerImageOfNineMegabytes_InspectsAndPullsBackByteForByte(bool useFileSystem)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([11, 12, 13], fileBytes: 1024 * 1024);
        source.Tag(image.Manifest, "1.0");
        var remote = session.DockerReference("interop/app", "1.0");

        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:1.0", remote);

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        Assert.Equal(image.Manifest.Digest, SkopeoJson.DigestOfRaw(raw));

        var inspected = SkopeoJson.Parse(await session.Skopeo.RunSucceedingAsync("inspect", "--tls-verify=false", remote));
        Assert.Equal(image.Manifest.Digest, inspected["Digest"]!.GetValue<string>());
        Assert.Equal(["1.0"], SkopeoJson.Strings(inspected["RepoTags"]));
        Assert.Equal(image.Layers.Select(layer => layer.Digest), SkopeoJson.Strings(inspected["Layers"]));
        Assert.Equal("amd64", inspected["Architecture"]!.GetValue<string>());
        Assert.Equal("linux", inspected["Os"]!.GetValue<string>());

        var pulledFolder = session.FolderPath("pulled");
        await session.Skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", remote, $"oci:{pulledFolder}:1.0");

        var pulled = new OciLayoutReader(pulledFolder);
        var sourceBlobs = new OciLayoutReader(source.Folder);
        Assert.Equal(image.Manifest, pulled.Resolve("1.0"));
        Assert.Equal(sourceBlobs.ReadBlob(image.Manifest.Digest), pulled.ReadBlob(image.Manifest.Digest));
        Assert.Equal(sourceBlobs.ReadBlob(image.Config.Digest), pulled.ReadBlob(image.Config.Digest));
        Assert.Equal(image.Layers.Select(layer => layer.Digest), pulled.LayerDigests(image.Manifest.Digest));
        foreach (var layer in image.Layers)
        {
            Assert.Equal(sourceBlobs.ReadBlob(layer.Digest), pulled.ReadBlob(layer.Digest));
        }
    }

    [Fact]
    public async Task Inspect_UnknownTag_FailsWithManifestUnknown()
    {
        await using var session = await InteropSession.StartAsync(useFileSystem: false);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([14]);
        source.Tag(image.Manifest, "known");
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:known", session.DockerReference("interop/app", "known"));

        var inspect = await session.Skopeo.RunAsync("inspect", "--raw", "--tls-verify=false", session.DockerReference("interop/app", "unknown"));

        Assert.True(inspect.ExitCode != 0, inspect.Describe());
        Assert.Contains("manifest unknown", inspect.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ZstdRecompressedPush_IsServedAsPushed_AndPullsBack()
    {
        await using var session = await InteropSession.StartAsync(useFileSystem: true);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([15, 16]);
        source.Tag(image.Manifest, "zstd");
        var remote = session.DockerReference("interop/zstd", "zstd");

        await session.Skopeo.RunSucceedingAsync(
            "copy", "--dest-compress-format", "zstd", "--dest-tls-verify=false", $"oci:{source.Folder}:zstd", remote);

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        var layers = SkopeoJson.Parse(raw)["layers"]!.AsArray();
        Assert.All(layers, layer => Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", layer!["mediaType"]!.GetValue<string>()));
        Assert.DoesNotContain(layers, layer => image.Layers.Any(original => original.Digest == layer!["digest"]!.GetValue<string>()));

        var pulledFolder = session.FolderPath("pulled");
        await session.Skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", remote, $"oci:{pulledFolder}:zstd");

        var pulled = new OciLayoutReader(pulledFolder);
        Assert.Equal(SkopeoJson.DigestOfRaw(raw), pulled.Resolve("zstd").Digest);
        foreach (var layer in layers)
        {
            var digest = layer!["digest"]!.GetValue<string>();
            Assert.Equal(digest, OciDescriptor.DigestOf(pulled.ReadBlob(digest)));
        }
    }
}
