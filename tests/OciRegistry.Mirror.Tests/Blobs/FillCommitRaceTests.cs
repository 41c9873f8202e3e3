using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Tests.Support;
using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Mirror.Tests.Blobs;

/// <summary>
/// A request that looked at the store just before a fill of the same blob committed, and reached the fills just after
/// that fill left them, is served the stored blob: it does not fetch it from the upstream a second time.
/// </summary>
public sealed class FillCommitRaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task RequestBetweenItsLookAtTheStoreAndTheFills_WhileAFillCommitsAndLeaves_IsServedFromTheStore()
    {
        HeldSizeLookup? store = null;
        await using var setup = await MirrorSetup.StartAsync(services: services => services.Replace(ServiceDescriptor.Singleton<IBlobStore>(
            sp => store = new HeldSizeLookup(sp.GetRequiredService<FileSystemBlobStore>()))));
        var layer = new byte[8 * 1024 * 1024];
        new Random(17).NextBytes(layer);
        var digest = await setup.Upstream.Seeder.PushBlobAsync("team/app", layer);
        setup.Probe.GatedBlob = $"/blobs/{digest}";
        var path = $"/v2/up/team/app/blobs/{digest}";

        // The first pull starts the fill, which the upstream holds after its first bytes.
        using var first = await setup.Mirror.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        first.EnsureSuccessStatusCode();

        // The second pull looks at the store while the fill runs (nothing there) and is held with that answer ...
        store!.Hold(digest);
        var second = setup.Mirror.Client.GetByteArrayAsync(path);
        await store.Looked.Task.WaitAsync(Patience);

        // ... while the fill ends: the blob is stored and no fill of it runs any more.
        setup.Probe.Gate.SetResult();
        var firstBytes = await first.Content.ReadAsByteArrayAsync().WaitAsync(Patience);
        await setup.Mirror.Services.GetRequiredService<BlobFills>().CompletionOf(digest).WaitAsync(Patience);
        store.Release();
        var secondBytes = await second.WaitAsync(Patience);

        Assert.Equal(digest, DigestHasher.Compute(firstBytes));
        Assert.Equal(digest, DigestHasher.Compute(secondBytes));
        Assert.Equal(1, setup.Probe.Count("GET", $"/blobs/{digest}"));
    }
}
