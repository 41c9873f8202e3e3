using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo <c>--format v2s2</c> pushes a Docker schema 2 manifest, stored and served as Docker.</summary>
public sealed class DockerSchema2Tests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task V2s2Push_IsStoredAsDockerManifest_AndPullsBackUnchanged(bool useFileSystem)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([71, 72, 73]);
        source.Tag(image.Manifest, "1.0");
        var remote = session.DockerReference("interop/docker", "1.0");

        await session.Skopeo.RunSucceedingAsync("copy", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{source.Folder}:1.0", remote);

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        var manifest = SkopeoJson.Parse(raw);
        Assert.Equal(OciMediaTypes.DockerManifest, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(image.Layers.Select(layer => layer.Digest), manifest["layers"]!.AsArray().Select(layer => layer!["digest"]!.GetValue<string>()));
        var pushedDigest = Digest.Parse(SkopeoJson.DigestOfRaw(raw));

        var metadata = session.Registry.Services.GetRequiredService<IMetadataStore>();
        Assert.Equal(pushedDigest, await metadata.ResolveTagAsync("interop/docker", "1.0"));
        var record = await metadata.GetManifestAsync("interop/docker", pushedDigest);
        Assert.NotNull(record);
        Assert.Equal(OciMediaTypes.DockerManifest, record.MediaType);

        var pulledFolder = session.FolderPath("pulled");
        await session.Skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", remote, $"dir:{pulledFolder}");

        var pulledManifest = await File.ReadAllBytesAsync(Path.Combine(pulledFolder, "manifest.json"));
        Assert.Equal(pushedDigest.ToString(), OciDescriptor.DigestOf(pulledManifest));
        var sourceBlobs = new OciLayoutReader(source.Folder);
        foreach (var layer in image.Layers)
        {
            var pulledLayer = await File.ReadAllBytesAsync(Path.Combine(pulledFolder, Digest.Parse(layer.Digest).EncodedString));
            Assert.Equal(sourceBlobs.ReadBlob(layer.Digest), pulledLayer);
        }
    }
}
