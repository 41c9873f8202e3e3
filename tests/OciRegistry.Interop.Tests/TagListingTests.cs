using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests;

/// <summary>skopeo <c>list-tags</c> reads every tag of a repository.</summary>
public sealed class TagListingTests
{
    private static readonly string[] Tags = ["1.0", "1.1", "2.0", "latest", "stable"];

    [Theory]
    [InlineData(true, 1000)]
    [InlineData(false, 2)]
    public async Task ListTags_ReturnsEveryPushedTag_AcrossPages(bool useFileSystem, int maxPageSize)
    {
        await using var session = await InteropSession.StartAsync(useFileSystem, rules => rules.MaxPageSize = maxPageSize);
        var source = new OciLayoutWriter(session.FolderPath("source"));
        var older = source.AddImage([51]);
        var newer = source.AddImage([52]);
        source.Tag(older.Manifest, "older");
        source.Tag(newer.Manifest, "newer");
        foreach (var tag in Tags)
        {
            var sourceTag = tag.StartsWith('1') ? "older" : "newer";
            await session.Skopeo.RunSucceedingAsync(
                "copy", "--dest-tls-verify=false", $"oci:{source.Folder}:{sourceTag}", session.DockerReference("interop/tags", tag));
        }

        var listed = SkopeoJson.Parse(await session.Skopeo.RunSucceedingAsync(
            "list-tags", "--tls-verify=false", $"docker://{session.Registry.HostPort}/interop/tags"));

        Assert.Equal($"{session.Registry.HostPort}/interop/tags", listed["Repository"]!.GetValue<string>());
        Assert.Equal(Tags, SkopeoJson.Strings(listed["Tags"]).Order(StringComparer.Ordinal));
        var expectedPages = (Tags.Length + maxPageSize - 1) / maxPageSize;
        Assert.True(
            expectedPages == session.Recorder.Requests.Count(request => request.Method == "GET" && request.Path == "/v2/interop/tags/tags/list"),
            $"expected {expectedPages} page(s) of tags; requests:\n{session.Recorder.Describe()}");
        var newerInspected = SkopeoJson.Parse(await session.Skopeo.RunSucceedingAsync(
            "inspect", "--tls-verify=false", session.DockerReference("interop/tags", "stable")));
        Assert.Equal(newer.Manifest.Digest, newerInspected["Digest"]!.GetValue<string>());
    }
}
