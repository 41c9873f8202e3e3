using System.IO.Pipelines;
using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// The collector hides blobs before it deletes them and looks at the repositories once more; pushes check their
/// blob after linking it. Each test puts a push's step at the exact moment of the race.
/// </summary>
public sealed class CollectionRaceTests
{
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task ABlobAMountLinks_WhileTheCollectorHasItHidden_IsPutBack_AndServable()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "unreferenced layer");
        _clock.Advance(PastGrace);
        blobs.AfterHide = digest => registry.Metadata.LinkBlobAsync("other", digest); // a mount's link lands right then

        var report = await registry.Collector.CollectAsync();

        Assert.Empty(report.DeletedBlobs);
        Assert.Equal(layer, Assert.Single(await registry.StoredBlobsAsync()));
        Assert.True((await registry.BlobOperations.StatAsync("other", layer.ToString())).IsSuccess);
    }

    [Fact]
    public async Task AHiddenBlobNobodyLinked_IsDeleted()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "unreferenced layer");
        _clock.Advance(PastGrace);
        var hidden = new List<Core.Digests.Digest>();
        blobs.AfterHide = digest =>
        {
            hidden.Add(digest);
            return ValueTask.CompletedTask;
        };

        var report = await registry.Collector.CollectAsync();

        Assert.Equal([layer], hidden);
        Assert.Equal(layer, Assert.Single(report.DeletedBlobs).Digest);
        Assert.Empty(await registry.StoredBlobsAsync());
    }

    [Fact]
    public async Task AMount_WhoseBlobTheCollectorHidesRightAfterTheLink_IsNotMounted_SoTheClientUploads()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "layer");
        var sizeChecks = 0;
        blobs.BeforeSizeCheck = async digest =>
        {
            if (++sizeChecks == 2)
            {
                await blobs.Inner.BeginRemoveAsync(digest); // between the mount's link and its check of the blob
            }
        };

        var mounted = await registry.Uploads.MountAsync("other", layer.ToString(), "app");

        Assert.True(mounted.IsSuccess);
        Assert.False(mounted.Value);
    }

    [Fact]
    public async Task AReupload_WhoseStoredCopyTheCollectorHidesRightAfterTheLink_Fails_SoTheClientPushesAgain()
    {
        var (registry, blobs) = NewRegistry();
        var layer = await registry.PushBlobAsync("app", "layer");
        blobs.BeforeSizeCheck = async digest => await blobs.Inner.BeginRemoveAsync(digest);

        var pushed = await registry.Uploads.PushAsync("other", layer.ToString(), PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes("layer"))));

        Assert.False(pushed.IsSuccess);
        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, pushed.Error?.Code);
    }

    private (MaintenanceRegistry Registry, HookedBlobStore Blobs) NewRegistry()
    {
        var inner = new InMemoryBlobStore(_clock);
        var blobs = new HookedBlobStore(inner);
        return (new MaintenanceRegistry(blobs, new InMemoryUploadStore(inner, _clock), new InMemoryMetadataStore(_clock), _clock), blobs);
    }
}
