using System.IO.Pipelines;
using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// The collector hides blobs before it deletes them and looks at the links once more; mounts check their blob after
/// linking it, uploads link before they commit. Each test puts a push's step at the exact moment of the race.
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
    public async Task AReupload_WhoseStoredCopyTheCollectorHidesJustBeforeTheLinkAndThenDeletes_KeepsTheUploadedCopy()
    {
        var blobs = new InMemoryBlobStore(_clock);
        var layer = MaintenanceRegistry.DigestOf("layer");
        var armed = false;
        IBlobRemoval? removal = null;
        var metadata = new InterceptedMetadataStore(new InMemoryMetadataStore(_clock), async method =>
        {
            if (armed && method == nameof(IMetadataStore.LinkBlobAsync))
            {
                armed = false;
                removal = await blobs.BeginRemoveAsync(layer); // the collector hides the stored copy right then
            }
        });
        var registry = new MaintenanceRegistry(blobs, new InMemoryUploadStore(blobs, _clock), metadata, _clock);
        await registry.PushBlobAsync("app", "layer");
        armed = true;

        var pushed = await registry.Uploads.PushAsync("other", layer.ToString(), PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes("layer"))));
        await removal!.CompleteAsync(); // and deletes it, as if its look at the links came before the push's link

        Assert.True(pushed.IsSuccess);
        var content = await registry.BlobOperations.OpenAsync("other", layer.ToString());
        await using (content.Value)
        {
            Assert.Equal("layer", Encoding.UTF8.GetString((await content.Value.ReadAllBytesAsync())!));
        }
    }

    private (MaintenanceRegistry Registry, HookedBlobStore Blobs) NewRegistry()
    {
        var inner = new InMemoryBlobStore(_clock);
        var blobs = new HookedBlobStore(inner);
        return (new MaintenanceRegistry(blobs, new InMemoryUploadStore(inner, _clock), new InMemoryMetadataStore(_clock), _clock), blobs);
    }
}
