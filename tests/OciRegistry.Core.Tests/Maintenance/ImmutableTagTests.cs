using OciRegistry.Core.References;
using OciRegistry.Core.Errors;

namespace OciRegistry.Core.Tests.Maintenance;

public sealed class ImmutableTagTests
{
    private readonly MaintenanceRegistry _registry = MaintenanceRegistry.InMemory(new ManualClock(), o => o.ImmutableTagPatterns.Add(@"v\d+\.\d+\.\d+"));

    [Fact]
    public async Task Refuses_MovingAnImmutableTagToAnotherManifest()
    {
        var first = await _registry.PushImageAsync("app", "v1.0.0", "config-1", "layer-1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _registry.PushImageAsync("app", "v1.0.0", "config-2", "layer-2"));

        Assert.StartsWith(nameof(RegistryErrorCode.Denied), error.Message, StringComparison.Ordinal);
        Assert.Equal(first, await _registry.Metadata.ResolveTagAsync(RepositoryName.Parse("app"), "v1.0.0"));
    }

    [Fact]
    public async Task Accepts_RepushingTheSameManifestUnderAnImmutableTag()
    {
        var first = await _registry.PushImageAsync("app", "v1.0.0", "config-1", "layer-1");

        var again = await _registry.PushImageAsync("app", "v1.0.0", "config-1", "layer-1");

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Refuses_DeletingAnImmutableTag_OrTheManifestItPointsAt()
    {
        var digest = await _registry.PushImageAsync("app", "v1.0.0", "config-1", "layer-1");

        var byTag = await _registry.Manifests.DeleteAsync("app", "v1.0.0");
        var byDigest = await _registry.Manifests.DeleteAsync("app", digest.ToString());

        Assert.Equal(RegistryErrorCode.Denied, byTag.Error?.Code);
        Assert.Equal(RegistryErrorCode.Denied, byDigest.Error?.Code);
        Assert.Equal(digest, await _registry.Metadata.ResolveTagAsync(RepositoryName.Parse("app"), "v1.0.0"));
    }

    [Fact]
    public async Task Moves_AndDeletes_TagsThatMatchNoPattern()
    {
        await _registry.PushImageAsync("app", "latest", "config-1", "layer-1");
        var second = await _registry.PushImageAsync("app", "latest", "config-2", "layer-2");

        Assert.Equal(second, await _registry.Metadata.ResolveTagAsync(RepositoryName.Parse("app"), "latest"));
        Assert.True((await _registry.Manifests.DeleteAsync("app", "latest")).Value);
    }

    [Fact]
    public void Validation_NamesAnInvalidPattern()
    {
        var options = new Core.Operations.RegistryOptions();
        options.ImmutableTagPatterns.Add("v[");

        var problem = Assert.Single(options.Validate());

        Assert.Contains("ImmutableTagPatterns", problem, StringComparison.Ordinal);
    }
}
