using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Core.Tests.Maintenance;

public sealed class GarbageCollectorTests
{
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task Deletes_BlobsOfAnUntaggedImage_AndKeepsLayersSharedWithATaggedOne()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.DeleteUntaggedManifests = true;
        var kept = await registry.PushImageAsync("app", "v1", "config-1", "shared", "only-v1");
        var dropped = await registry.PushImageAsync("app", "v2", "config-2", "shared", "only-v2");
        var orphan = await registry.PushBlobAsync("app", "never-referenced");
        Assert.True((await registry.Manifests.DeleteAsync("app", "v2")).Value);
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([new RepositoryDigest(RepositoryName.Parse("app"), dropped)], report.DeletedManifests);
        var gone = new[] { dropped, DigestOf("config-2"), DigestOf("only-v2"), orphan }.Order().ToArray();
        Assert.Equal(gone, report.DeletedBlobs.Select(b => b.Digest).Order());
        Assert.Equal(gone, report.UnlinkedBlobs.Select(l => l.Digest).Order());
        Assert.Equal(report.DeletedBlobs.Sum(b => b.Size), report.BytesFreed);
        Assert.Equal(
            new[] { kept, DigestOf("config-1"), DigestOf("shared"), DigestOf("only-v1") }.Order(),
            (await registry.StoredBlobsAsync()).Order());
        Assert.True((await registry.Manifests.GetAsync("app", "v1")).IsSuccess);
        Assert.False((await registry.Manifests.GetAsync("app", dropped.ToString())).IsSuccess);
    }

    [Fact]
    public async Task Keeps_ABlobLinkedFromAnotherRepository()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.DeleteUntaggedManifests = true;
        await registry.PushImageAsync("one", "latest", "config", "base");
        var untagged = await registry.PushImageAsync("two", tag: null, "config-two", "base");
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([new RepositoryDigest(RepositoryName.Parse("two"), untagged)], report.DeletedManifests);
        Assert.Contains(new RepositoryDigest(RepositoryName.Parse("two"), DigestOf("base")), report.UnlinkedBlobs);
        Assert.DoesNotContain(DigestOf("base"), report.DeletedBlobs.Select(b => b.Digest));
        Assert.True((await registry.BlobOperations.StatAsync("one", DigestOf("base").ToString())).IsSuccess);
    }

    [Fact]
    public async Task Keeps_IndexChildrenAndReferrersOfReachableManifests_AndDeletesReferrersOfUnreachableOnes()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.DeleteUntaggedManifests = true;
        var amd64 = await registry.PushImageAsync("app", tag: null, "config-amd64", "layer-amd64");
        var arm64 = await registry.PushImageAsync("app", tag: null, "config-arm64", "layer-arm64");
        var index = await registry.PushIndexAsync("app", "1.0", amd64, arm64);
        var signature = await registry.PushReferrerAsync("app", amd64, "signature-of-amd64");
        var indexSignature = await registry.PushReferrerAsync("app", index, "signature-of-index");
        var stray = await registry.PushImageAsync("app", tag: null, "config-stray", "layer-stray");
        var straySignature = await registry.PushReferrerAsync("app", stray, "signature-of-stray");
        var signatureOfSignature = await registry.PushReferrerAsync("app", straySignature, "countersignature");
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Equal(
            new[] { stray, straySignature, signatureOfSignature }.Order(),
            report.DeletedManifests.Select(m => m.Digest).Order());
        Assert.Equal(
            new[] { stray, straySignature, signatureOfSignature, DigestOf("config-stray"), DigestOf("layer-stray"), DigestOf("signature-of-stray"), DigestOf("countersignature") }.Order(),
            report.DeletedBlobs.Select(b => b.Digest).Order());
        foreach (var keptManifest in new[] { amd64, arm64, index, signature, indexSignature })
        {
            Assert.True((await registry.Manifests.GetAsync("app", keptManifest.ToString())).IsSuccess, $"{keptManifest} should be kept");
        }

        Assert.Contains(DigestOf("{}"), await registry.StoredBlobsAsync());
        Assert.Contains(DigestOf("signature-of-amd64"), await registry.StoredBlobsAsync());
    }

    [Fact]
    public async Task Keeps_UntaggedManifests_WhenThePolicyIsOff()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        var untagged = await registry.PushImageAsync("app", tag: null, "config", "layer");
        var orphan = await registry.PushBlobAsync("app", "orphan");
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Empty(report.DeletedManifests);
        Assert.Equal([orphan], report.DeletedBlobs.Select(b => b.Digest));
        Assert.True((await registry.Manifests.GetAsync("app", untagged.ToString())).IsSuccess);
    }

    [Fact]
    public async Task Spares_BlobsYoungerThanTheGracePeriod()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        var old = await registry.PushBlobAsync("app", "old upload");
        _clock.Advance(PastGrace);
        var young = await registry.PushBlobAsync("app", "upload whose manifest is not pushed yet");

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([old], report.DeletedBlobs.Select(b => b.Digest));
        Assert.True((await registry.BlobOperations.StatAsync("app", young.ToString())).IsSuccess);
    }

    [Fact]
    public async Task DryRun_ReportsWhatARealRunDeletes_AndDeletesNothing()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.DeleteUntaggedManifests = true;
        registry.GcOptions.Retention.Add(new RetentionRule { TagPattern = @"build-\d+", KeepLast = 1 });
        await registry.PushImageAsync("app", "build-1", "config-1", "shared", "layer-1");
        await registry.PushImageAsync("app", "build-2", "config-2", "shared", "layer-2");
        await registry.PushImageAsync("app", tag: null, "config-3", "layer-3");
        await registry.PushBlobAsync("app", "orphan");
        _clock.Advance(PastGrace);
        var blobsBefore = await registry.StoredBlobsAsync();

        var dry = await registry.Collector.CollectAsync(dryRun: true);

        Assert.True(dry.DryRun);
        Assert.Equal(blobsBefore.Order(), (await registry.StoredBlobsAsync()).Order());
        Assert.Equal(["build-1", "build-2"], (await registry.Metadata.GetTagsAsync(RepositoryName.Parse("app"))).Select(t => t.Name).Order());
        Assert.Equal(3, (await registry.Metadata.ListManifestsAsync(RepositoryName.Parse("app"))).Count);

        var real = await registry.Collector.CollectAsync();

        Assert.Equal(dry.DeletedTags, real.DeletedTags);
        Assert.Equal(dry.DeletedManifests, real.DeletedManifests);
        Assert.Equal(dry.UnlinkedBlobs, real.UnlinkedBlobs);
        Assert.Equal(dry.DeletedBlobs, real.DeletedBlobs);
        Assert.Equal(dry.BytesFreed, real.BytesFreed);
        Assert.Equal(7, real.DeletedBlobs.Count);
    }

    [Fact]
    public async Task Retention_KeepsTheMostRecentlySetTags_NotTheLexicallyGreatest()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.Retention.Add(new RetentionRule { TagPattern = "release-.*", KeepLast = 1 });
        await registry.PushImageAsync("app", "release-zeta", "config-z", "layer-z");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await registry.PushImageAsync("app", "release-alpha", "config-a", "layer-a");
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([new RepositoryTag(RepositoryName.Parse("app"), "release-zeta")], report.DeletedTags);
        Assert.Equal(["release-alpha"], (await registry.Metadata.GetTagsAsync(RepositoryName.Parse("app"))).Select(t => t.Name));
    }

    [Fact]
    public async Task Retention_SetAtTheSameTime_KeepsTheLexicallyGreatestMatchingTags_AndLeavesOthersAlone()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        registry.GcOptions.DeleteUntaggedManifests = true;
        registry.GcOptions.Retention.Add(new RetentionRule { TagPattern = @"build-\d+", KeepLast = 2 });
        for (var i = 1; i <= 5; i++)
        {
            await registry.PushImageAsync("app", $"build-{i:000}", $"config-{i}", $"layer-{i}");
        }

        await registry.PushImageAsync("app", "latest", "config-1", "layer-1");
        _clock.Advance(PastGrace);

        var report = await registry.Collector.CollectAsync();

        Assert.Equal(
            [new RepositoryTag(RepositoryName.Parse("app"), "build-001"), new RepositoryTag(RepositoryName.Parse("app"), "build-002"), new RepositoryTag(RepositoryName.Parse("app"), "build-003")],
            report.DeletedTags);
        Assert.Equal(["build-004", "build-005", "latest"], (await registry.Metadata.GetTagsAsync(RepositoryName.Parse("app"))).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, report.DeletedManifests.Count);
        Assert.DoesNotContain(DigestOf("layer-1"), report.DeletedBlobs.Select(b => b.Digest));
        Assert.Contains(DigestOf("layer-2"), report.DeletedBlobs.Select(b => b.Digest));
        Assert.Contains(DigestOf("layer-3"), report.DeletedBlobs.Select(b => b.Digest));
    }

    [Fact]
    public async Task Retention_NeverDeletesImmutableTags()
    {
        var registry = MaintenanceRegistry.InMemory(_clock, o => o.ImmutableTagPatterns.Add(@"build-00[12]"));
        registry.GcOptions.Retention.Add(new RetentionRule { TagPattern = @"build-\d+", KeepLast = 1 });
        for (var i = 1; i <= 3; i++)
        {
            await registry.PushImageAsync("app", $"build-{i:000}", $"config-{i}", $"layer-{i}");
        }

        var report = await registry.Collector.CollectAsync();

        Assert.Empty(report.DeletedTags);
        Assert.Equal(3, (await registry.Metadata.GetTagsAsync(RepositoryName.Parse("app"))).Count);
    }

    [Fact]
    public async Task Purges_ExpiredUploadSessions_ButNotOnADryRun()
    {
        var registry = MaintenanceRegistry.InMemory(_clock);
        var abandoned = (await registry.Uploads.StartAsync("app")).Value;
        _clock.Advance(registry.RegistryOptions.UploadSessionLifetime + TimeSpan.FromMinutes(1));
        var fresh = (await registry.Uploads.StartAsync("app")).Value;

        Assert.Equal(0, (await registry.Collector.CollectAsync(dryRun: true)).ExpiredUploads);
        var report = await registry.Collector.CollectAsync();

        Assert.Equal(1, report.ExpiredUploads);
        Assert.Null(await registry.UploadStore.GetAsync(abandoned.Id));
        Assert.NotNull(await registry.UploadStore.GetAsync(fresh.Id));
    }
}
