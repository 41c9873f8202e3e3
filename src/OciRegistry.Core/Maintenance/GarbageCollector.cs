using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Mark-and-sweep garbage collection that runs while the registry serves pushes and pulls.
/// </summary>
/// <remarks>
/// <para>
/// Per repository: retention rules delete surplus tags; then every manifest reachable from a tag (following index
/// children and the referrers of reachable manifests; with <see cref="GarbageCollectionOptions.DeleteUntaggedManifests"/>
/// off, from every manifest) is marked with its config and layers; unmarked manifests and blob links are removed.
/// Finally blobs that no repository links any more are deleted from the blob store.
/// </para>
/// <para>
/// Concurrent pushes are protected three ways: anything committed within <see cref="GarbageCollectionOptions.GracePeriod"/>
/// (and any blob committed after the collection started) is kept, so blobs uploaded for a manifest not yet put survive;
/// right before deleting blobs every repository is read again and any blob a manifest now references is kept (and
/// re-linked, with any child manifest this run removed); and <see cref="ManifestOperations.PutAsync"/> re-checks its
/// references after linking, withdrawing a manifest whose blob was unlinked meanwhile. Blobs are then only hidden
/// (<see cref="IBlobStore.BeginRemoveAsync"/>) and the repositories read once more: one a mount or re-upload linked in
/// between is put back, and a push that links after that look finds its blob gone when it checks after linking, so it
/// fails (upload) or uploads instead (mount) rather than being answered with a blob that is about to vanish.
/// </para>
/// </remarks>
public sealed partial class GarbageCollector
{
    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly UploadOperations _uploads;
    private readonly IOptions<GarbageCollectionOptions> _options;
    private readonly IOptions<RegistryOptions> _registryOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<GarbageCollector> _logger;
    private readonly RegistryMetrics? _metrics;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Creates a collector over the given stores.</summary>
    public GarbageCollector(
        IBlobStore blobs,
        IMetadataStore metadata,
        UploadOperations uploads,
        IOptions<GarbageCollectionOptions> options,
        IOptions<RegistryOptions> registryOptions,
        TimeProvider? time = null,
        ILogger<GarbageCollector>? logger = null,
        RegistryMetrics? metrics = null)
    {
        _blobs = blobs;
        _metadata = metadata;
        _uploads = uploads;
        _options = options;
        _registryOptions = registryOptions;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<GarbageCollector>.Instance;
        _metrics = metrics;
    }

    /// <summary>
    /// Collects garbage, or with <paramref name="dryRun"/> only reports what would be deleted. Collections in the same
    /// process run one at a time.
    /// </summary>
    public async Task<GcReport> CollectAsync(bool dryRun = false, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Log.Started(_logger, dryRun);
            var report = await CollectExclusiveAsync(dryRun, cancellationToken).ConfigureAwait(false);
            Log.Finished(_logger, dryRun, report.DeletedTags.Count, report.DeletedManifests.Count, report.UnlinkedBlobs.Count, report.DeletedBlobs.Count, report.BytesFreed, report.ExpiredUploads);
            _metrics?.GarbageCollected(dryRun, report.BytesFreed);
            return report;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<GcReport> CollectExclusiveAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var report = new GcReport(dryRun);
        if (!dryRun)
        {
            report.ExpiredUploads = await _uploads.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
        }

        var cutoff = _time.GetUtcNow() - _options.Value.GracePeriod;
        var stored = new Dictionary<Digest, BlobEntry>();
        await foreach (var entry in _blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            stored[entry.Digest] = entry;
        }

        var pass = new CollectionPass(stored, cutoff, report, new ManifestReferenceReader(_blobs, _registryOptions.Value.MaxManifestBytes));
        foreach (var repository in await ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            await CollectRepositoryAsync(repository, pass, cancellationToken).ConfigureAwait(false);
        }

        var candidates = stored.Values
            .Where(e => pass.IsOld(e.Digest) && !pass.StillLinked.Contains(e.Digest))
            .OrderBy(e => e.Digest)
            .ToList();
        if (dryRun)
        {
            report.Blobs.AddRange(candidates);
            return report;
        }

        if (candidates.Count == 0 && report.Links.Count == 0 && pass.DeletedManifests.Count == 0)
        {
            return report;
        }

        var inUse = await RecheckAsync(pass, cancellationToken).ConfigureAwait(false);
        var removals = new List<(BlobEntry Blob, IBlobRemoval Removal)>();
        foreach (var candidate in candidates.Where(c => !inUse.Contains(c.Digest)))
        {
            if (await _blobs.BeginRemoveAsync(candidate.Digest, cancellationToken).ConfigureAwait(false) is { } removal)
            {
                removals.Add((candidate, removal));
            }
        }

        await FinishRemovalsAsync(pass, removals, cancellationToken).ConfigureAwait(false);
        return report;
    }

    // The blobs are out of sight now; a mount or re-upload that linked one since the re-check shows in one more look,
    // and the blob is put back. A push that links afterwards finds its blob gone (pushes check after linking) and
    // fails or uploads instead, so no answered push loses its blob. Whatever is still undecided when this fails is
    // put back.
    private async Task FinishRemovalsAsync(CollectionPass pass, List<(BlobEntry Blob, IBlobRemoval Removal)> removals, CancellationToken cancellationToken)
    {
        if (removals.Count == 0)
        {
            return;
        }

        var decided = 0;
        try
        {
            var inUse = await RecheckAsync(pass, cancellationToken).ConfigureAwait(false);
            for (; decided < removals.Count; decided++)
            {
                var (blob, removal) = removals[decided];
                if (inUse.Contains(blob.Digest))
                {
                    await removal.UndoAsync(cancellationToken).ConfigureAwait(false);
                    Log.KeptLinked(_logger, blob.Digest);
                }
                else
                {
                    await removal.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    pass.Report.Blobs.Add(blob);
                }
            }
        }
        finally
        {
            for (; decided < removals.Count; decided++)
            {
                await removals[decided].Removal.UndoAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectRepositoryAsync(string repository, CollectionPass pass, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var report = pass.Report;
        var tags = await _metadata.GetTagsAsync(repository, cancellationToken).ConfigureAwait(false);
        var dropped = Retention.TagsToDrop(tags, options.Retention, _registryOptions.Value.ImmutableTagPatterns);
        foreach (var tag in dropped.Order(StringComparer.Ordinal))
        {
            if (report.DryRun || await _metadata.DeleteTagAsync(repository, tag, cancellationToken).ConfigureAwait(false))
            {
                report.Tags.Add(new RepositoryTag(repository, tag));
            }
        }

        var manifests = (await _metadata.ListManifestsAsync(repository, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Digest);
        var roots = tags.Where(t => !dropped.Contains(t.Name)).Select(t => t.Digest)
            .Concat(manifests.Keys.Where(d => !options.DeleteUntaggedManifests || !pass.IsOld(d)));
        var marked = await MarkAsync(repository, manifests, roots, pass.Reader, cancellationToken).ConfigureAwait(false);

        foreach (var record in manifests.Values.Where(m => !marked.Manifests.Contains(m.Digest)).OrderBy(m => m.Digest))
        {
            if (report.DryRun)
            {
                report.Manifests.Add(new RepositoryDigest(repository, record.Digest));
            }
            else if (!await IsTaggedAsync(repository, record.Digest, cancellationToken).ConfigureAwait(false)
                && await _metadata.DeleteManifestAsync(repository, record.Digest, cancellationToken).ConfigureAwait(false))
            {
                if (await IsTaggedAsync(repository, record.Digest, cancellationToken).ConfigureAwait(false))
                {
                    // A push tagged it while it was being deleted: put it back for the tag (the re-check keeps its blobs).
                    await _metadata.PutManifestAsync(repository, record, tag: null, cancellationToken).ConfigureAwait(false);
                    Log.Restored(_logger, repository, record.Digest);
                    continue;
                }

                report.Manifests.Add(new RepositoryDigest(repository, record.Digest));
                pass.DeletedManifests[new RepositoryDigest(repository, record.Digest)] = record;
            }
        }

        foreach (var link in (await _metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false)).Order())
        {
            var keep = !marked.Complete || marked.Blobs.Contains(link) || marked.Manifests.Contains(link) || !pass.IsOld(link);
            if (keep)
            {
                pass.StillLinked.Add(link);
            }
            else if (report.DryRun || await _metadata.UnlinkBlobAsync(repository, link, cancellationToken).ConfigureAwait(false))
            {
                report.Links.Add(new RepositoryDigest(repository, link));
            }
        }
    }

    private async Task<MarkedSet> MarkAsync(string repository, Dictionary<Digest, ManifestRecord> manifests, IEnumerable<Digest> roots, ManifestReferenceReader reader, CancellationToken cancellationToken)
    {
        var marked = new MarkedSet();
        var pending = new Stack<Digest>(roots);
        while (pending.TryPop(out var digest))
        {
            if (!manifests.TryGetValue(digest, out var record) || !marked.Manifests.Add(digest))
            {
                continue;
            }

            var references = await reader.ReadAsync(record, cancellationToken).ConfigureAwait(false);
            if (references is null)
            {
                Log.UnreadableManifest(_logger, repository, digest);
                marked.Complete = false;
            }
            else
            {
                marked.Blobs.UnionWith(references.Blobs);
                foreach (var child in references.Children)
                {
                    pending.Push(child);
                }
            }

            foreach (var referrer in await _metadata.ListReferrersAsync(repository, digest, cancellationToken).ConfigureAwait(false))
            {
                pending.Push(referrer.Digest);
            }
        }

        return marked;
    }

    // Reads every repository again, right before blobs are deleted: whatever a manifest references now is in use, and
    // links or child manifests this run removed but a manifest pushed meanwhile needs are put back.
    private async Task<HashSet<Digest>> RecheckAsync(CollectionPass pass, CancellationToken cancellationToken)
    {
        var inUse = new HashSet<Digest>();
        var unlinked = pass.Report.Links.ToHashSet();
        foreach (var repository in await ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            var links = (await _metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false)).ToHashSet();
            inUse.UnionWith(links);
            var pending = new Stack<ManifestRecord>(await _metadata.ListManifestsAsync(repository, cancellationToken).ConfigureAwait(false));
            var seen = new HashSet<Digest>();
            while (pending.TryPop(out var record))
            {
                if (!seen.Add(record.Digest))
                {
                    continue;
                }

                inUse.Add(record.Digest);
                var references = await pass.Reader.ReadAsync(record, cancellationToken).ConfigureAwait(false);
                var needed = (references?.Blobs ?? []).Append(record.Digest);
                foreach (var blob in needed)
                {
                    inUse.Add(blob);
                    if (!links.Contains(blob) && unlinked.Remove(new RepositoryDigest(repository, blob)))
                    {
                        await _metadata.LinkBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
                        pass.Report.Links.Remove(new RepositoryDigest(repository, blob));
                        Log.Restored(_logger, repository, blob);
                    }
                }

                foreach (var child in references?.Children ?? [])
                {
                    inUse.Add(child);
                    if (pass.DeletedManifests.Remove(new RepositoryDigest(repository, child), out var childRecord))
                    {
                        await _metadata.PutManifestAsync(repository, childRecord, tag: null, cancellationToken).ConfigureAwait(false);
                        pass.Report.Manifests.Remove(new RepositoryDigest(repository, child));
                        pending.Push(childRecord);
                        Log.Restored(_logger, repository, child);
                    }
                }
            }
        }

        return inUse;
    }

    private async ValueTask<bool> IsTaggedAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        (await _metadata.GetTagsAsync(repository, cancellationToken).ConfigureAwait(false)).Any(t => t.Digest == digest);

    private async Task<List<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        var repositories = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await _metadata.ListRepositoriesAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            repositories.AddRange(page);
            if (page.Count < PageSize)
            {
                return repositories;
            }

            after = page[^1];
        }
    }

    private sealed class MarkedSet
    {
        public HashSet<Digest> Manifests { get; } = [];

        public HashSet<Digest> Blobs { get; } = [];

        /// <summary>False when a reachable manifest could not be read: its blobs are unknown, so no link is removed.</summary>
        public bool Complete { get; set; } = true;
    }

    private sealed class CollectionPass(Dictionary<Digest, BlobEntry> stored, DateTimeOffset cutoff, GcReport report, ManifestReferenceReader reader)
    {
        public GcReport Report { get; } = report;

        public ManifestReferenceReader Reader { get; } = reader;

        public HashSet<Digest> StillLinked { get; } = [];

        public Dictionary<RepositoryDigest, ManifestRecord> DeletedManifests { get; } = [];

        /// <summary>True for a blob that was in the store when the collection started and is older than the grace period.</summary>
        public bool IsOld(Digest digest) => stored.TryGetValue(digest, out var entry) && entry.CommittedAt < cutoff;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Garbage collection started (dry run: {DryRun})")]
        public static partial void Started(ILogger logger, bool dryRun);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Garbage collection finished (dry run: {DryRun}): {Tags} tags, {Manifests} manifests, {Links} blob links, {Blobs} blobs ({Bytes} bytes), {Uploads} expired uploads")]
        public static partial void Finished(ILogger logger, bool dryRun, int tags, int manifests, int links, int blobs, long bytes, int uploads);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Manifest {Digest} in {Repository} cannot be read; the repository's blob links are all kept")]
        public static partial void UnreadableManifest(ILogger logger, string repository, Digest digest);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Kept {Digest} in {Repository}: a manifest pushed during the collection uses it")]
        public static partial void Restored(ILogger logger, string repository, Digest digest);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Kept blob {Digest}: a push linked it during the collection")]
        public static partial void KeptLinked(ILogger logger, Digest digest);
    }
}
