using OciRegistry.Core.Digests;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>The list pages are built from metadata alone: they open no blob, however many tags and images there are.</summary>
public sealed class ListingReadsTests
{
    [Fact]
    public async Task RepositoryAndTagLists_OpenNoBlob_WhileTheImagePageReadsTheConfig()
    {
        var blobs = new CountingBlobStore(new InMemoryBlobStore());
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddOciRegistry().UseStorage(_ => blobs, _ => new InMemoryUploadStore(blobs.Inner), _ => new InMemoryMetadataStore());
                services.AddOciRegistryUi();
            };
            o.App = app => app.MapOciRegistryUi("/ui");
        });
        var amd64 = await registry.Seeder.PushImageAsync("team/app", "amd64", [[1, 2, 3]], RegistrySeeder.CreateConfig("linux", "amd64", []));
        var arm64 = await registry.Seeder.PushImageAsync("team/app", "arm64", [[4, 5]], RegistrySeeder.CreateConfig("linux", "arm64", []));
        await registry.Seeder.PushIndexAsync("team/app", "multi", [amd64, arm64]);
        blobs.Opened = 0;

        (await registry.Client.GetAsync("/ui")).EnsureSuccessStatusCode();
        (await registry.Client.GetAsync("/ui?q=team")).EnsureSuccessStatusCode();
        var tags = await registry.Client.GetStringAsync("/ui/tags?repository=team/app");
        Assert.Equal(0, blobs.Opened);
        Assert.Contains("linux/amd64, linux/arm64", tags, StringComparison.Ordinal);

        (await registry.Client.GetAsync("/ui/image?repository=team/app&reference=amd64")).EnsureSuccessStatusCode();
        Assert.True(blobs.Opened > 0);
    }

    /// <summary>An in-memory blob store that counts how often content is opened.</summary>
    private sealed class CountingBlobStore(InMemoryBlobStore inner) : IBlobStore
    {
        public InMemoryBlobStore Inner => inner;

        public int Opened { get; set; }

        public ValueTask<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken = default) => inner.GetSizeAsync(digest, cancellationToken);

        public ValueTask<IBlobContent?> OpenAsync(Digest digest, CancellationToken cancellationToken = default)
        {
            Opened++;
            return inner.OpenAsync(digest, cancellationToken);
        }

        public ValueTask PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutAsync(digest, content, cancellationToken);

        public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default) => inner.DeleteAsync(digest, cancellationToken);

        public ValueTask<IBlobRemoval?> BeginRemoveAsync(Digest digest, CancellationToken cancellationToken = default) => inner.BeginRemoveAsync(digest, cancellationToken);

        public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
