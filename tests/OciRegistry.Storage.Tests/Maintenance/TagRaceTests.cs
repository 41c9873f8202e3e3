using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests.Maintenance;

/// <summary>A tag PUT racing a DELETE of the same manifest by digest, through the operations, on the default disk stores.</summary>
public sealed class TagRaceTests : IDisposable
{
    private readonly FileSystemRegistryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TagPut_RacingManifestDelete_LeavesEveryListedTagResolvable()
    {
        var registry = _folder.Registry;
        registry.RegistryOptions.DeletesEnabled = true;
        var image = await registry.PushImageAsync("app", "base", "config", "layer");
        for (var i = 0; i < 200; i++)
        {
            await registry.PushImageAsync("app", $"other-{i}", $"config-{i}", "layer");
        }

        for (var round = 0; round < 20; round++)
        {
            await registry.PushImageAsync("app", "base", "config", "layer");
            var put = Task.Run(async () => await registry.PushImageAsync("app", $"raced-{round}", "config", "layer"));
            var delete = Task.Run(async () => await registry.Manifests.DeleteAsync("app", image.ToString()));
            await Task.WhenAll(put, delete);
        }

        foreach (var tag in await registry.Metadata.ListTagsAsync(RepositoryName.Parse("app"), null, 1000))
        {
            Assert.True((await registry.Manifests.GetAsync("app", tag)).IsSuccess, $"tag {tag} is listed but does not resolve");
        }
    }
}
