using OciRegistry.Core.References;
using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Core.Tests.Maintenance;

public sealed class IntegrityVerifierTests
{
    private readonly MaintenanceRegistry _registry = MaintenanceRegistry.InMemory(new ManualClock());

    [Fact]
    public async Task Reports_NothingForAnIntactRegistry()
    {
        await _registry.PushImageAsync("app", "v1", "config", "layer");

        var report = await _registry.Verifier.VerifyAsync();

        Assert.True(report.IsHealthy);
        Assert.Equal(3, report.BlobsChecked);
        Assert.Equal(Encoding.UTF8.GetByteCount("config") + Encoding.UTF8.GetByteCount("layer") + (await _registry.Manifests.GetAsync("app", "v1")).Value.Bytes.Length, report.BytesChecked);
    }

    [Fact]
    public async Task Finds_ABlobWhoseBytesDoNotMatchItsDigest_AndQuarantineMakesItUnknown()
    {
        await _registry.PushBlobAsync("app", "good");
        var claimed = DigestOf("what the digest says");
        await _registry.Blobs.PutAsync(claimed, Encoding.UTF8.GetBytes("what the bytes are"));
        await _registry.Metadata.LinkBlobAsync(RepositoryName.Parse("app"), claimed);

        var found = await _registry.Verifier.VerifyAsync();
        var quarantined = await _registry.Verifier.VerifyAsync(quarantine: true);

        Assert.Equal([new CorruptBlob(claimed, DigestOf("what the bytes are"), 18, Quarantined: false)], found.CorruptBlobs);
        Assert.Equal([new CorruptBlob(claimed, DigestOf("what the bytes are"), 18, Quarantined: true)], quarantined.CorruptBlobs);
        Assert.Equal(RegistryErrorCode.BlobUnknown, (await _registry.BlobOperations.OpenAsync("app", claimed.ToString())).Error?.Code);
        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), claimed, claimed)], quarantined.MissingReferences); // its link went with it
        Assert.False(await _registry.Metadata.IsBlobLinkedAsync(RepositoryName.Parse("app"), claimed));
        Assert.True((await _registry.Verifier.VerifyAsync()).IsHealthy);
        await _registry.PushBlobAsync("app", "what the digest says"); // the genuine push brings it back
        Assert.True((await _registry.BlobOperations.OpenAsync("app", claimed.ToString())).IsSuccess);
        Assert.True((await _registry.Verifier.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task Finds_LinksToBlobsThatAreNotStored()
    {
        var image = await _registry.PushImageAsync("app", "v1", "config", "layer");
        var stray = DigestOf("never stored");
        await _registry.Metadata.LinkBlobAsync(RepositoryName.Parse("app"), stray);
        await _registry.Blobs.DeleteAsync(DigestOf("layer"));

        var report = await _registry.Verifier.VerifyAsync();

        Assert.Contains(new MissingReference(RepositoryName.Parse("app"), stray, stray), report.MissingReferences);
        Assert.Contains(new MissingReference(RepositoryName.Parse("app"), DigestOf("layer"), DigestOf("layer")), report.MissingReferences);
        Assert.Contains(new MissingReference(RepositoryName.Parse("app"), image, DigestOf("layer")), report.MissingReferences);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public async Task Finds_ManifestReferencesToMissingBlobsAndChildren()
    {
        var child = await _registry.PushImageAsync("app", tag: null, "config", "layer");
        var index = await _registry.PushIndexAsync("app", "multi", child);
        await _registry.Blobs.DeleteAsync(DigestOf("layer"));
        await _registry.Metadata.DeleteManifestAsync(RepositoryName.Parse("app"), child);

        var report = await _registry.Verifier.VerifyAsync();

        Assert.Equal(
            [new MissingReference(RepositoryName.Parse("app"), index, child), new MissingReference(RepositoryName.Parse("app"), DigestOf("layer"), DigestOf("layer"))],
            report.MissingReferences);
        Assert.Empty(report.CorruptBlobs);
    }

    [Fact]
    public void GcOptionsValidation_NamesTheKey()
    {
        var options = new GarbageCollectionOptions { GracePeriod = TimeSpan.FromMinutes(-1) };
        options.Retention.Add(new RetentionRule { TagPattern = "(", KeepLast = -1 });

        var problems = options.Validate().ToList();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("OciRegistry:Gc:GracePeriod", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("OciRegistry:Gc:Retention:0:KeepLast", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("OciRegistry:Gc:Retention:0:TagPattern", StringComparison.Ordinal));
    }
}
