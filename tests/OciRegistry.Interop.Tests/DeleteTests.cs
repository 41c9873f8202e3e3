using System.Net;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo <c>delete</c> removes a manifest; afterwards it cannot be inspected.</summary>
public sealed class DeleteTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Delete_RemovesManifest_ThenInspectFails(bool useFileSystem, bool byDigest)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([61, 62]);
        source.Tag(image.Manifest, "doomed");
        var byTag = session.DockerReference("interop/delete", "doomed");
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:doomed", byTag);

        var target = byDigest ? session.DockerReference("interop/delete", image.Manifest.Digest) : byTag;
        await session.Skopeo.RunSucceedingAsync("delete", "--tls-verify=false", target);

        foreach (var reference in new[] { byTag, session.DockerReference("interop/delete", image.Manifest.Digest) })
        {
            var inspect = await session.Skopeo.RunAsync("inspect", "--raw", "--tls-verify=false", reference);
            Assert.True(inspect.ExitCode != 0, inspect.Describe());
            Assert.Contains("manifest unknown", inspect.StandardError, StringComparison.OrdinalIgnoreCase);
        }

        using var response = await session.Registry.Client.GetAsync($"v2/interop/delete/manifests/{image.Manifest.Digest}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_WhenDeletesDisabled_FailsAndKeepsManifest()
    {
        await using var session = await InteropSession.StartAsync(useFileSystem: true, rules => rules.DeletesEnabled = false);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var image = source.AddImage([63]);
        source.Tag(image.Manifest, "kept");
        var remote = session.DockerReference("interop/delete", "kept");
        await session.Skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:kept", remote);

        var delete = await session.Skopeo.RunAsync("delete", "--tls-verify=false", remote);

        Assert.True(delete.ExitCode != 0, delete.Describe());
        var raw = await session.Skopeo.RunSucceedingAsync("inspect", "--raw", "--tls-verify=false", remote);
        Assert.Equal(image.Manifest.Digest, SkopeoJson.DigestOfRaw(raw));
    }
}
