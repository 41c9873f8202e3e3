using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo copies an image between repositories of one registry by mounting its layers, not uploading them again.</summary>
public sealed class CrossRepositoryCopyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CopyToAnotherRepository_MountsEveryLayerInsteadOfUploading(bool useFileSystem)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([41, 42, 43]);
        source.Tag(image.Manifest, "1");
        var first = session.DockerReference("team/a", "1");
        var second = session.DockerReference("team/b", "1");
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:1", first);
        session.Recorder.Clear();

        await session.Skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", first, second);

        var requests = session.Recorder.Requests;
        var log = session.Recorder.Describe();
        foreach (var layer in image.Layers)
        {
            Assert.True(
                requests.Any(request => request.Method == "POST"
                    && request.Path == "/v2/team/b/blobs/uploads/"
                    && request.Query("mount") == layer.Digest
                    && request.Query("from") == "team/a"
                    && request.StatusCode == 201),
                $"layer {layer.Digest} was not mounted from team/a; requests:\n{log}");
            Assert.False(
                requests.Any(request => request.Path.Contains(layer.Digest, StringComparison.Ordinal) && request.Method == "GET"),
                $"layer {layer.Digest} was downloaded; requests:\n{log}");
        }

        // skopeo always copies the (small) config blob itself; only it may be uploaded.
        var uploadedDigests = requests
            .Where(request => request.Method == "PUT" && request.Path.StartsWith("/v2/team/b/blobs/uploads/", StringComparison.Ordinal))
            .Select(request => request.Query("digest"));
        Assert.True(uploadedDigests.All(digest => digest == image.Config.Digest), $"a layer was uploaded; requests:\n{log}");

        var metadata = session.Registry.Services.GetRequiredService<IMetadataStore>();
        foreach (var blob in image.Layers.Append(image.Config))
        {
            Assert.True(await metadata.IsBlobLinkedAsync("team/b", Digest.Parse(blob.Digest)), $"{blob.Digest} not linked to team/b");
        }

        Assert.Equal(Digest.Parse(image.Manifest.Digest), await metadata.ResolveTagAsync("team/b", "1"));
        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", second);
        Assert.Equal(image.Manifest.Digest, SkopeoJson.DigestOfRaw(raw));
    }

    [Fact]
    public async Task LayersUnlinkedFromSourceRepository_AreHiddenThere_AndUploadedToTheTarget()
    {
        await using var session = await InteropSession.StartAsync(useFileSystem: true);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([44, 45]);
        source.Tag(image.Manifest, "1");
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:1", session.DockerReference("team/a", "1"));
        var metadata = session.Registry.Services.GetRequiredService<IMetadataStore>();
        foreach (var layer in image.Layers)
        {
            Assert.True(await metadata.UnlinkBlobAsync("team/a", Digest.Parse(layer.Digest)));
        }

        session.Recorder.Clear();

        // skopeo's blob-info cache still says team/a has the layers; it asks team/a before trying to mount from it.
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:1", session.DockerReference("team/c", "1"));

        var requests = session.Recorder.Requests;
        var log = session.Recorder.Describe();
        foreach (var layer in image.Layers)
        {
            Assert.True(
                requests.Any(request => request.Method == "HEAD" && request.Path == $"/v2/team/a/blobs/{layer.Digest}" && request.StatusCode == 404),
                $"team/a still showed the unlinked {layer.Digest}; requests:\n{log}");
            Assert.False(
                requests.Any(request => request.Method == "POST" && request.Query("mount") == layer.Digest && request.StatusCode == 201),
                $"{layer.Digest} was mounted from a repository it is not linked to; requests:\n{log}");
            Assert.True(
                requests.Any(request => request.Method == "PUT" && request.Query("digest") == layer.Digest && request.StatusCode == 201),
                $"{layer.Digest} was not uploaded after the refused mount; requests:\n{log}");
            Assert.True(await metadata.IsBlobLinkedAsync("team/c", Digest.Parse(layer.Digest)), $"{layer.Digest} not linked to team/c");
        }

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", session.DockerReference("team/c", "1"));
        Assert.Equal(image.Manifest.Digest, SkopeoJson.DigestOfRaw(raw));
    }
}
