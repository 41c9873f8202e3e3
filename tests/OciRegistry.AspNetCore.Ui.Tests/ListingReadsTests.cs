using OciRegistry.Core.Digests;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// The list pages and the storage overview are built from the metadata store's pages and aggregates: they open and
/// stat no blob, and never ask for a whole repository's tags, manifests or links (what made them cost in proportion to
/// the registry).
/// </summary>
public sealed class ListingReadsTests
{
    // The listings that return everything a repository holds.
    private static readonly string[] WholeRepositoryReads =
        [nameof(IMetadataStore.GetTagsAsync), nameof(IMetadataStore.ListManifestsAsync), nameof(IMetadataStore.ListBlobLinksAsync)];

    [Fact]
    public async Task ListPagesAndStorage_WalkNoRepository_AndReadNoBlob_WhileTheImagePageReadsTheConfig()
    {
        var (registry, blobs, recorder) = await StartSeededAsync();
        await using var stops = registry;

        (await registry.Client.GetAsync("/ui")).EnsureSuccessStatusCode();
        (await registry.Client.GetAsync("/ui?q=app")).EnsureSuccessStatusCode();
        var tags = await registry.Client.GetStringAsync("/ui/tags?repository=team/app");
        (await registry.Client.GetAsync("/ui/tags?repository=team/app&order=newest&filter=64")).EnsureSuccessStatusCode();
        (await registry.Client.GetAsync("/ui/storage")).EnsureSuccessStatusCode();

        Assert.Equal(0, blobs.Opened);
        Assert.Equal(0, blobs.Statted);
        Assert.Empty(recorder.Calls.Intersect(WholeRepositoryReads));
        Assert.Contains("linux/amd64, linux/arm64", tags, StringComparison.Ordinal);

        (await registry.Client.GetAsync("/ui/image?repository=team/app&reference=amd64")).EnsureSuccessStatusCode();
        Assert.True(blobs.Opened > 0);
    }

    // A database store pays a round trip per call: a page asks once for all its rows, not once per row.
    [Fact]
    public async Task ListPages_AskTheStoreOncePerPage_NotOncePerRow()
    {
        var (registry, _, recorder) = await StartSeededAsync();
        await using var stops = registry;

        var repositories = await registry.Client.GetStringAsync("/ui");
        Assert.Contains("team/db", repositories, StringComparison.Ordinal);
        Assert.Equal(1, recorder.Calls.Count(call => call == nameof(IMetadataStore.GetRepositoryStatisticsAsync)));

        recorder.Calls.Clear();
        var tags = await registry.Client.GetStringAsync("/ui/tags?repository=team/app");
        Assert.Contains("multi", tags, StringComparison.Ordinal);
        Assert.Equal(1, recorder.Calls.Count(call => call == nameof(IMetadataStore.GetManifestsAsync)));
        Assert.DoesNotContain(nameof(IMetadataStore.GetManifestAsync), recorder.Calls);
    }

    // team/app with two images and an index of them, team/db with one image; counters and recorder cleared.
    private static async Task<(InProcessRegistry Registry, CountingBlobStore Blobs, RecordingMetadataStore Recorder)> StartSeededAsync()
    {
        var blobs = new CountingBlobStore(new InMemoryBlobStore());
        var inner = new InMemoryMetadataStore();
        var (metadata, recorder) = RecordingMetadataStore.Wrap(inner);
        var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddOciRegistry().UseStorage(_ => blobs, _ => new InMemoryUploadStore(blobs.Inner), _ => metadata);
                // The recorder wraps IMetadataStore only; upload sessions stay with the store it wraps.
                services.Replace(ServiceDescriptor.Singleton<IUploadSessionStore>(inner));
                services.AddOciRegistryUi();
            };
            o.App = app => app.MapOciRegistryUi("/ui");
        });
        var amd64 = await registry.Seeder.PushImageAsync("team/app", "amd64", [[1, 2, 3]], RegistrySeeder.CreateConfig("linux", "amd64", []));
        var arm64 = await registry.Seeder.PushImageAsync("team/app", "arm64", [[4, 5]], RegistrySeeder.CreateConfig("linux", "arm64", []));
        await registry.Seeder.PushIndexAsync("team/app", "multi", [amd64, arm64]);
        await registry.Seeder.PushImageAsync("team/db", "1", [[1, 2, 3]]);
        blobs.Opened = 0;
        blobs.Statted = 0;
        recorder.Calls.Clear();
        return (registry, blobs, recorder);
    }

    /// <summary>An in-memory blob store that counts how often content is opened or its size asked.</summary>
    private sealed class CountingBlobStore(InMemoryBlobStore inner) : IBlobStore
    {
        public InMemoryBlobStore Inner => inner;

        public int Opened { get; set; }

        public int Statted { get; set; }

        public ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default)
        {
            Statted++;
            return inner.GetSizeAsync(digest, cancellationToken);
        }

        public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
        {
            Opened++;
            return inner.OpenAsync(digest, cancellationToken);
        }

        public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutAsync(digest, content, cancellationToken);

        public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default) => inner.DeleteAsync(digest, cancellationToken);

        public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
