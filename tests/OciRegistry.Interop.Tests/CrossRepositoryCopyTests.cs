using OciRegistry.Core.References;
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
    public async Task CopyToAnotherRepository_MountsTheLayersSkopeoOffers_AndUploadsNoneTwice(bool useFileSystem)
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

        // skopeo offers a mount only for layers its blob-info cache places in team/a, and now and then (a few CI runs,
        // always one layer of three, with a private cache too) it reads one from the source and uploads it instead:
        // which layers it mounts is skopeo's choice. The registry's part: every mount skopeo asks for succeeds, and a mounted layer
        // is neither downloaded nor uploaded again.
        var requests = session.Recorder.Requests;
        var log = session.Recorder.Describe();
        var mounts = requests
            .Where(request => request.Method == "POST" && request.Path == "/v2/team/b/blobs/uploads/" && request.Query("mount") is not null)
            .ToList();
        Assert.All(mounts, mount => Assert.True(mount.StatusCode == 201 && mount.Query("from") == "team/a", $"mount answered {mount.StatusCode}; requests:\n{log}"));
        var mounted = mounts.Select(mount => mount.Query("mount")).ToHashSet();
        Assert.True(image.Layers.Any(layer => mounted.Contains(layer.Digest)), $"no layer was mounted; requests:\n{log}");
        foreach (var digest in mounted)
        {
            Assert.False(
                requests.Any(request => (request.Method == "GET" && request.Path.Contains(digest!, StringComparison.Ordinal))
                    || (request.Method == "PUT" && request.Query("digest") == digest)),
                $"mounted layer {digest} was also transferred; requests:\n{log}");
        }

        var metadata = session.Registry.Services.GetRequiredService<IMetadataStore>();
        foreach (var blob in image.Layers.Append(image.Config))
        {
            Assert.True(await metadata.IsBlobLinkedAsync(RepositoryName.Parse("team/b"), Digest.Parse(blob.Digest)), $"{blob.Digest} not linked to team/b");
        }

        Assert.Equal(Digest.Parse(image.Manifest.Digest), await metadata.ResolveTagAsync(RepositoryName.Parse("team/b"), "1"));
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
            Assert.True(await metadata.UnlinkBlobAsync(RepositoryName.Parse("team/a"), Digest.Parse(layer.Digest)));
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
            Assert.True(await metadata.IsBlobLinkedAsync(RepositoryName.Parse("team/c"), Digest.Parse(layer.Digest)), $"{layer.Digest} not linked to team/c");
        }

        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", session.DockerReference("team/c", "1"));
        Assert.Equal(image.Manifest.Digest, SkopeoJson.DigestOfRaw(raw));
    }
}
