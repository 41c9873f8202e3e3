using OciRegistry.Core.References;
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
        Assert.Equal(pushedDigest, await metadata.ResolveTagAsync(RepositoryName.Parse("interop/docker"), "1.0"));
        var record = await metadata.GetManifestAsync(RepositoryName.Parse("interop/docker"), pushedDigest);
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

    [Fact]
    public async Task V2s2PushOfIndex_IsStoredAsDockerManifestList_AndPullsBackEveryPlatform()
    {
        await using var session = await InteropSession.StartAsync(useFileSystem: true);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var amd64 = source.AddImage([74], architecture: "amd64");
        var arm64 = source.AddImage([75], architecture: "arm64");
        source.Tag(source.AddIndex([(amd64, "linux", "amd64"), (arm64, "linux", "arm64")]), "multi");
        var remote = session.DockerReference("interop/docker-list", "multi");

        await session.Skopeo.RunSucceedingAsync("copy", "--all", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{source.Folder}:multi", remote);

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        var list = SkopeoJson.Parse(raw);
        Assert.Equal(OciMediaTypes.DockerManifestList, list["mediaType"]!.GetValue<string>());
        var metadata = session.Registry.Services.GetRequiredService<IMetadataStore>();
        var listDigest = Digest.Parse(SkopeoJson.DigestOfRaw(raw));
        Assert.Equal(OciMediaTypes.DockerManifestList, (await metadata.GetManifestAsync(RepositoryName.Parse("interop/docker-list"), listDigest))?.MediaType);
        foreach (var entry in list["manifests"]!.AsArray())
        {
            Assert.Equal(OciMediaTypes.DockerManifest, entry!["mediaType"]!.GetValue<string>());
            var child = await metadata.GetManifestAsync(RepositoryName.Parse("interop/docker-list"), Digest.Parse(entry["digest"]!.GetValue<string>()));
            Assert.Equal(OciMediaTypes.DockerManifest, child?.MediaType);
        }

        var pulledFolder = session.FolderPath("pulled");
        await session.Skopeo.RunSucceedingAsync("copy", "--all", "--src-tls-verify=false", remote, $"dir:{pulledFolder}");

        var pulledList = await File.ReadAllBytesAsync(Path.Combine(pulledFolder, "manifest.json"));
        Assert.Equal(listDigest.ToString(), OciDescriptor.DigestOf(pulledList));
        var sourceBlobs = new OciLayoutReader(source.Folder);
        foreach (var layer in amd64.Layers.Concat(arm64.Layers))
        {
            var pulledLayer = await File.ReadAllBytesAsync(Path.Combine(pulledFolder, Digest.Parse(layer.Digest).EncodedString));
            Assert.Equal(sourceBlobs.ReadBlob(layer.Digest), pulledLayer);
        }
    }
}
