using OciRegistry.Core.References;
using OciRegistry.Core.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary><c>verify --repair</c> puts back what can be put back and reports the rest; the storage tests add dangling tags.</summary>
public sealed class IntegrityRepairTests
{
    private readonly MaintenanceRegistry _registry = MaintenanceRegistry.InMemory(new ManualClock());

    [Fact]
    public async Task AReferencedBlobThatLostItsLink_IsLinkedAgain_WhenItsBytesAreStoredAndIntact()
    {
        var image = await _registry.PushImageAsync("app", "v1", "config", "layer");
        await _registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), DigestOf("layer"));

        var found = await _registry.Verifier.VerifyAsync();
        var repaired = await _registry.Verifier.VerifyAsync(repair: true);

        Assert.False(found.IsHealthy);
        Assert.Equal(RepairOutcome.None, Assert.Single(found.MissingReferences).Repair);
        Assert.Equal(new MissingReference(RepositoryName.Parse("app"), image, DigestOf("layer")) { Repair = RepairOutcome.Relinked }, Assert.Single(repaired.MissingReferences));
        Assert.True(repaired.IsHealthy);
        Assert.True((await _registry.BlobOperations.StatAsync("app", DigestOf("layer").ToString())).IsSuccess);
        Assert.Empty((await _registry.Verifier.VerifyAsync()).MissingReferences);
    }

    [Fact]
    public async Task AMissingChildManifest_IsStoredAgain_FromItsBytes()
    {
        var child = await _registry.PushImageAsync("app", tag: null, "config", "layer");
        var index = await _registry.PushIndexAsync("app", "multi", child);
        Assert.True(await _registry.Metadata.DeleteManifestAsync(RepositoryName.Parse("app"), child));

        var repaired = await _registry.Verifier.VerifyAsync(repair: true);

        Assert.Equal(new MissingReference(RepositoryName.Parse("app"), index, child) { Repair = RepairOutcome.RestoredManifest }, Assert.Single(repaired.MissingReferences));
        Assert.True(repaired.IsHealthy);
        Assert.True((await _registry.Manifests.GetAsync("app", child.ToString())).IsSuccess);
        Assert.Empty((await _registry.Verifier.VerifyAsync()).MissingReferences);
    }

    [Fact]
    public async Task ABlobWhoseBytesAreGone_CannotBeRepaired_AndIsReported()
    {
        var image = await _registry.PushImageAsync("app", "v1", "config", "layer");
        await _registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), DigestOf("layer"));
        await _registry.Blobs.DeleteAsync(DigestOf("layer"));

        var repaired = await _registry.Verifier.VerifyAsync(repair: true);

        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), image, DigestOf("layer"))], repaired.MissingReferences);
        Assert.False(repaired.IsHealthy);
        Assert.False(await _registry.Metadata.IsBlobLinkedAsync(RepositoryName.Parse("app"), DigestOf("layer")));
    }

    [Fact]
    public async Task ACorruptBlob_IsNeverLinkedAgain()
    {
        var image = await _registry.PushImageAsync("app", "v1", "config", "layer");
        await _registry.Metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), DigestOf("layer"));
        await _registry.Blobs.DeleteAsync(DigestOf("layer"));
        await _registry.Blobs.PutAsync(DigestOf("layer"), "LAYER"u8.ToArray()); // same length, other bytes

        var repaired = await _registry.Verifier.VerifyAsync(repair: true);

        Assert.Single(repaired.CorruptBlobs);
        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), image, DigestOf("layer"))], repaired.MissingReferences);
        Assert.False(await _registry.Metadata.IsBlobLinkedAsync(RepositoryName.Parse("app"), DigestOf("layer")));
    }
}
