using OciRegistry.Core.References;
using System.IO.Pipelines;
using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// A collector killed inside a blob's deletion (after the mark, or after the bytes went) leaves the mark behind:
/// while its lease is live no push can link the blob; afterwards the next collection finishes the deletion, or the
/// next push rolls it back. Either way a push of that content ends with its bytes served. Kills are faults injected
/// through the stores at exact calls.
/// </summary>
public sealed class InterruptedDeletionTests
{
    private const string Content = "layer";
    private static readonly TimeSpan PastGrace = GarbageCollectionOptions.DefaultGracePeriod + TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();
    private readonly InMemoryMetadataStore _metadata;
    private readonly HookedBlobStore _blobs;
    private readonly MaintenanceRegistry _registry;

    public InterruptedDeletionTests()
    {
        _metadata = new InMemoryMetadataStore(_clock);
        var inner = new InMemoryBlobStore(_clock);
        _blobs = new HookedBlobStore(inner);
        _registry = new MaintenanceRegistry(_blobs, new InMemoryUploadStore(inner, _clock), _metadata, _clock);
    }

    /// <summary>Killed right after marking (the bytes still there), or right after deleting the bytes (the mark still there).</summary>
    public static TheoryData<bool> BytesDeleted => [false, true];

    [Theory]
    [MemberData(nameof(BytesDeleted))]
    public async Task WhileTheKilledCollectorsLeaseIsLive_APushOfTheContentIsToldToPushAgain(bool bytesDeleted)
    {
        await KillCollectorInsideDeletionAsync(bytesDeleted);

        var pushed = await PushAsync("other");

        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, pushed.Error?.Code);
        Assert.False(await _metadata.IsBlobLinkedAsync(RepositoryName.Parse("other"), MaintenanceRegistry.DigestOf(Content)));
    }

    [Theory]
    [MemberData(nameof(BytesDeleted))]
    public async Task TheNextCollection_FinishesTheDeletion_ThenAPushStoresTheContentAgain(bool bytesDeleted)
    {
        await KillCollectorInsideDeletionAsync(bytesDeleted);
        _clock.Advance(_registry.GcOptions.LeaseDuration);

        await _registry.Collector.CollectAsync();

        Assert.Empty(await _registry.StoredBlobsAsync());
        Assert.Empty(await _metadata.ListBlobDeletionsAsync());
        Assert.True((await PushAsync("other")).IsSuccess);
        await AssertServedAsync("other");
    }

    [Theory]
    [MemberData(nameof(BytesDeleted))]
    public async Task APushAfterTheLeaseRanOut_RollsTheDeletionBack_AndTheNextCollectionKeepsTheBlob(bool bytesDeleted)
    {
        await KillCollectorInsideDeletionAsync(bytesDeleted);
        _clock.Advance(_registry.GcOptions.LeaseDuration);

        Assert.True((await PushAsync("other")).IsSuccess);
        await _registry.Collector.CollectAsync();

        Assert.Empty(await _metadata.ListBlobDeletionsAsync());
        await AssertServedAsync("other");
        Assert.True((await _registry.Verifier.VerifyAsync()).IsHealthy);
    }

    private async Task KillCollectorInsideDeletionAsync(bool bytesDeleted)
    {
        var layer = await _registry.PushBlobAsync("app", Content);
        await _metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), layer);
        _clock.Advance(PastGrace);
        var dead = false;
        var killed = new MaintenanceRegistry(_blobs, _registry.UploadStore, new InterceptedMetadataStore(_metadata, _ =>
            dead ? throw new OperationCanceledException("killed") : ValueTask.CompletedTask), _clock);
        _blobs.BeforeDelete = _ =>
        {
            dead = true; // every store call from here on fails: the process is gone
            return bytesDeleted ? ValueTask.CompletedTask : throw new OperationCanceledException("killed");
        };

        await Assert.ThrowsAsync<OperationCanceledException>(() => killed.Collector.CollectAsync());
        dead = true;
        _blobs.BeforeDelete = null;
        Assert.Equal([layer], await _metadata.ListBlobDeletionsAsync());
        Assert.Equal(!bytesDeleted, (await _registry.StoredBlobsAsync()).Contains(layer));
    }

    private Task<RegistryResult<Core.Digests.Digest>> PushAsync(string repository) =>
        _registry.Uploads.PushAsync(
            repository, MaintenanceRegistry.DigestOf(Content).ToString(), PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(Content)))).AsTask();

    private async Task AssertServedAsync(string repository)
    {
        var served = await _registry.BlobOperations.OpenAsync(repository, MaintenanceRegistry.DigestOf(Content).ToString());
        Assert.True(served.IsSuccess, served.Error?.Message);
        await using (served.Value)
        {
            Assert.Equal(Content, Encoding.UTF8.GetString((await served.Value.ReadAllBytesAsync())!));
        }
    }
}
