using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Maintenance;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>Substring search of repositories and tags, and a delete preview that knows about other repositories.</summary>
public sealed class SearchAndPreviewTests
{
    [Fact]
    public async Task RepositorySearch_FindsNamesContainingTheText_WithoutCase()
    {
        await using var registry = await StartAsync();
        foreach (var repository in new[] { "team/app", "team/db", "tools/appstore", "web" })
        {
            await registry.Seeder.PushImageAsync(repository, "1", [[1]]);
        }

        Assert.Equal(["team/app", "tools/appstore"], await RowNamesAsync(registry, "/ui?q=APP"));
        Assert.Equal(["team/db"], await RowNamesAsync(registry, "/ui?q=m/d"));
    }

    [Fact]
    public async Task TagFilter_FindsTagsContainingTheText_InKeysetPages()
    {
        await using var registry = await StartAsync(pageSize: 2);
        foreach (var tag in new[] { "1.0-alpine", "1.1-alpine", "1.1", "2.0-ALPINE", "latest" })
        {
            await registry.Seeder.PushImageAsync("team/app", tag, [[1]]);
        }

        var first = await Pages.ReadAsync(await registry.Client.GetAsync("/ui/tags?repository=team/app&filter=alpine"));
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await Pages.ReadAsync(await registry.Client.GetAsync(next));

        Assert.Equal(["1.0-alpine", "1.1-alpine"], Pages.RowNames(first));
        Assert.Equal(["2.0-ALPINE"], Pages.RowNames(second));
        Assert.Null(second.QuerySelector("a[rel=next]"));
        Assert.Contains("3 tags containing", first.QuerySelector("caption")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePreview_KeepsBlobsAnotherRepositoryLinks_OutOfWhatBecomesCollectable()
    {
        await using var registry = await StartAsync();
        byte[] shared = [.. Enumerable.Repeat((byte)7, 4000)];
        byte[] own = [.. Enumerable.Repeat((byte)9, 1000)];
        var config = RegistrySeeder.CreateConfig("linux", "amd64", [shared, own]);
        var image = await registry.Seeder.PushImageAsync("one/app", "1", [shared, own], config);
        await registry.Seeder.PushImageAsync("two/app", "1", [shared]);

        var page = await Pages.ReadAsync(await registry.Client.GetAsync("/ui/delete?repository=one/app&reference=1"));

        string[] Digests(string list) => [.. page.QuerySelectorAll($"#{list} li[data-digest]").Select(li => li.GetAttribute("data-digest")!)];
        Assert.Equal([image.LayerDigests[0].ToString()], Digests("kept-blobs"));
        Assert.Equal(
            new[] { image.ConfigDigest, image.LayerDigests[1] }.Select(d => d.ToString()).Order(),
            Digests("collectable-blobs").Order());
        Assert.Equal(own.Length + config.Length, long.Parse(page.QuerySelector("#collectable")!.GetAttribute("data-bytes")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task<InProcessRegistry> StartAsync(int pageSize = 50) => InProcessRegistry.StartAsync(o =>
    {
        o.Services = services =>
        {
            services.AddOciRegistryUi(ui => ui.PageSize = pageSize);
            services.Configure<GarbageCollectionOptions>(gc => gc.DeleteUntaggedManifests = true);
        };
        o.App = app => app.MapOciRegistryUi("/ui");
    });

    private static async Task<IReadOnlyList<string>> RowNamesAsync(InProcessRegistry registry, string page) =>
        Pages.RowNames(await Pages.ReadAsync(await registry.Client.GetAsync(page)));
}
