using OciRegistry.Core.References;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Upstream;
using OciRegistry.Mirror.Manifests;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Eviction;

/// <summary>
/// Evicts cached images by their last pull (<see cref="IUpstreamCacheRecords"/>; a manifest never pulled counts from
/// when it was cached, a referrer as used whenever its subject is): first those older than
/// <see cref="EvictionOptions.MaxAge"/>, then the least recently pulled while the cache is over
/// <see cref="EvictionOptions.MaxBytes"/>. Nothing pulled within the collector's grace period goes.
/// </summary>
/// <remarks>
/// Eviction only removes manifests and their tags, each with the collector's own conditional delete (a tag set again in
/// between keeps its manifest); the <see cref="GarbageCollector"/> then removes the blob links and bytes nothing uses any
/// more, with its grace period and its fence against new links, so a blob another repository links or a fill just
/// committed stays. The next pull of an evicted image fetches it again. The size counts each digest once, by the sizes the
/// manifests declare, for the blobs the mirrored repositories hold.
/// </remarks>
internal sealed partial class MirrorEviction(
    UpstreamRouter router,
    IMetadataStore metadata,
    IBlobStore blobs,
    IUpstreamCacheRecords records,
    PullRecorder pulls,
    CheckTimes checks,
    GarbageCollector collector,
    IOptions<MirrorOptions> options,
    IOptions<GarbageCollectionOptions> collection,
    TimeProvider time,
    ILogger<MirrorEviction> logger) : IMirrorEviction
{
    private const int RepositoryPage = 1000;

    public async Task<EvictionReport> EvictAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        var limits = options.Value.Eviction;
        if (!limits.IsEnabled)
        {
            return new EvictionReport(dryRun, 0, [], null);
        }

        var now = time.GetUtcNow();
        var inUseSince = now - collection.Value.GracePeriod;
        var images = await ReadCacheAsync(now, cancellationToken).ConfigureAwait(false);
        var (cachedBytes, chosen) = Choose(images, limits, now, inUseSince);
        if (dryRun)
        {
            return new EvictionReport(dryRun, cachedBytes, chosen, null);
        }

        var evicted = new List<EvictedImage>();
        foreach (var image in chosen)
        {
            if (await RemoveAsync(image, inUseSince, cancellationToken).ConfigureAwait(false))
            {
                evicted.Add(image);
            }
        }

        return new EvictionReport(dryRun, cachedBytes, evicted, evicted.Count > 0 ? await CollectAsync(evicted.Count, cancellationToken).ConfigureAwait(false) : null);
    }

    // The bytes of evicted images go through the collector, with its grace period and its fence against new links.
    private async Task<GcReport?> CollectAsync(int evicted, CancellationToken cancellationToken)
    {
        try
        {
            var report = await collector.CollectAsync(dryRun: false, cancellationToken).ConfigureAwait(false);
            Log.Evicted(logger, evicted, report.BytesFreed);
            return report;
        }
        catch (CollectionInProgressException)
        {
            Log.CollectionDeferred(logger, evicted);
            return null;
        }
    }

    // The cache's size, and the images to evict: oldest first, each lowering the total by the digests no image left holds.
    private static (long CachedBytes, List<EvictedImage> Chosen) Choose(List<CachedImage> images, EvictionOptions limits, DateTimeOffset now, DateTimeOffset inUseSince)
    {
        var holders = new Dictionary<Digest, int>();
        var sizes = new Dictionary<Digest, long>();
        foreach (var (digest, size) in images.SelectMany(i => i.Contents))
        {
            holders[digest] = holders.GetValueOrDefault(digest) + 1;
            sizes[digest] = size;
        }

        var cachedBytes = sizes.Values.Sum();
        var total = cachedBytes;
        var chosen = new List<EvictedImage>();
        foreach (var image in images.OrderBy(i => i.LastUsed).ThenBy(i => i.Repository).ThenBy(i => i.Digest))
        {
            var expired = limits.MaxAge is { } age && now - image.LastUsed > age;
            var over = limits.MaxBytes is { } budget && total > budget;
            if (image.LastUsed >= inUseSince || !(expired || over))
            {
                break;
            }

            var freed = 0L;
            foreach (var (digest, _) in image.Contents)
            {
                if (--holders[digest] == 0)
                {
                    freed += sizes[digest];
                }
            }

            total -= freed;
            chosen.Add(new EvictedImage(image.Repository, image.Digest, image.LastUsed, freed));
        }

        return (cachedBytes, chosen);
    }

    private async Task<List<CachedImage>> ReadCacheAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var images = new List<CachedImage>();
        string? after = null;
        while (true)
        {
            var page = await metadata.ListRepositoriesAsync(after, RepositoryPage, cancellationToken).ConfigureAwait(false);
            foreach (var repository in page.Where(r => router.Route(r.Value) is not null))
            {
                images.AddRange(await ReadRepositoryAsync(repository, now, cancellationToken).ConfigureAwait(false));
            }

            if (page.Count < RepositoryPage)
            {
                return images;
            }

            after = page[^1].Value;
        }
    }

    private async Task<IEnumerable<CachedImage>> ReadRepositoryAsync(RepositoryName repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var manifests = await metadata.ListManifestsAsync(repository, cancellationToken).ConfigureAwait(false);
        var pulled = (await records.ListPullsAsync(repository, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Digest, p => p.PulledAt);
        var linked = (await metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false)).Select(l => l.Digest).ToHashSet();
        var ownUse = manifests.ToDictionary(m => m.Digest, m => pulled.TryGetValue(m.Digest, out var at) ? at : m.PushedAt ?? now);
        var images = new List<CachedImage>();
        foreach (var manifest in manifests)
        {
            var lastUsed = ownUse[manifest.Digest];
            if (manifest.Subject is { } subject && ownUse.TryGetValue(subject, out var subjectUse) && subjectUse > lastUsed)
            {
                lastUsed = subjectUse;
            }

            var contents = new List<(Digest, long)> { (manifest.Digest, manifest.Size) };
            contents.AddRange((await ReadBlobsAsync(manifest, cancellationToken).ConfigureAwait(false))
                .Where(b => linked.Contains(b.Digest))
                .Select(b => (b.Digest, b.Size)));
            images.Add(new CachedImage(repository, manifest.Digest, lastUsed, contents));
        }

        return images;
    }

    // The config and layers a manifest names (none for an index, or when its bytes cannot be read).
    private async Task<IEnumerable<Descriptor>> ReadBlobsAsync(ManifestRecord manifest, CancellationToken cancellationToken)
    {
        var content = await blobs.OpenAsync(manifest.Digest, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return [];
        }

        await using (content.ConfigureAwait(false))
        {
            var bytes = await content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
            return bytes is not null && ManifestParser.Parse(bytes, manifest.MediaType) is { IsSuccess: true } parsed
                ? parsed.Value.Config is { } config ? parsed.Value.Layers.Prepend(config) : parsed.Value.Layers
                : [];
        }
    }

    private async Task<bool> RemoveAsync(EvictedImage image, DateTimeOffset inUseSince, CancellationToken cancellationToken)
    {
        foreach (var tag in (await metadata.GetTagsAsync(image.Repository, cancellationToken).ConfigureAwait(false)).Where(t => t.Digest == image.Digest))
        {
            await metadata.DeleteTagAsync(image.Repository, tag.Name, cancellationToken).ConfigureAwait(false);
            await checks.ForgetAsync(image.Repository, tag.Name, cancellationToken).ConfigureAwait(false);
        }

        if (!await metadata.DeleteUnusedManifestAsync(image.Repository, image.Digest, inUseSince, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await pulls.ForgetAsync(image.Repository, image.Digest, cancellationToken).ConfigureAwait(false);
        await checks.ForgetAsync(image.Repository, ReferrerChecks.SchemaTag(image.Digest), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "Mirror eviction removed {Manifests} cached manifests; the collection after it freed {Bytes} bytes")]
        public static partial void Evicted(ILogger logger, int manifests, long bytes);

        [LoggerMessage(42, LogLevel.Information, "Mirror eviction removed {Manifests} cached manifests; another garbage collection is running, which or the next of which frees their bytes")]
        public static partial void CollectionDeferred(ILogger logger, int manifests);
    }
}
