using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// A repository's size counts each blob it links once (a layer two of its images share, once), whether the link came
/// from an upload, a mount or a manifest put; the storage page sums the links once per blob and once per repository.
/// </summary>
public sealed class SizeTests
{
    [Fact]
    public async Task RepositorySizes_CountEachLinkedBlobOnce_AndStorage_SavesWhatRepositoriesShare()
    {
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services => services.AddOciRegistryUi();
            o.App = app => app.MapOciRegistryUi("/ui");
        });
        byte[] shared = [.. Enumerable.Repeat((byte)7, 4000)];
        byte[] own = [.. Enumerable.Repeat((byte)9, 1000)];
        var firstConfig = RegistrySeeder.CreateConfig("linux", "amd64", [shared, own]);
        var secondConfig = RegistrySeeder.CreateConfig("linux", "amd64", [shared]);
        var first = await registry.Seeder.PushImageAsync("one/app", "1", [shared, own], firstConfig);
        var second = await registry.Seeder.PushImageAsync("one/app", "2", [shared], secondConfig);
        using var mount = await registry.Client.PostAsync(
            new Uri($"/v2/two/app/blobs/uploads/?mount={first.LayerDigests[0]}&from=one/app", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);

        var one = shared.Length + own.Length + firstConfig.Length + secondConfig.Length + first.ManifestSize + second.ManifestSize;
        var list = await Pages.ReadAsync(await registry.Client.GetAsync("/ui"));
        Assert.Equal(one, RowBytes(list, "one/app"));
        Assert.Equal(shared.Length, RowBytes(list, "two/app"));
        var tags = await Pages.ReadAsync(await registry.Client.GetAsync("/ui/tags?repository=one/app"));
        Assert.Equal(one, Bytes(tags.QuerySelector("#repository-size")!));

        var storage = await Pages.ReadAsync(await registry.Client.GetAsync("/ui/storage"));
        Assert.Equal("6", storage.QuerySelector("#blob-count")!.TextContent);
        Assert.Equal("7", storage.QuerySelector("#link-count")!.TextContent);
        Assert.Equal(one, Bytes(storage.QuerySelector("#stored-bytes")!));
        Assert.Equal(one + shared.Length, Bytes(storage.QuerySelector("#linked-bytes")!));
        Assert.Equal(shared.Length, Bytes(storage.QuerySelector("#dedupe")!));
        Assert.Null(storage.QuerySelector("#unknown-sizes"));
    }

    private static long RowBytes(IDocument list, string repository) =>
        Bytes(list.QuerySelectorAll("tbody tr").Single(row => row.Children[0].TextContent.Trim() == repository).QuerySelector("td[data-bytes]")!);

    private static long Bytes(IElement element) => long.Parse(element.GetAttribute("data-bytes")!, CultureInfo.InvariantCulture);
}
