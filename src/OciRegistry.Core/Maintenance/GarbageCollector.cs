using OciRegistry.Core.References;
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
/// Removing a manifest or a link is one conditional transaction of the metadata store
/// (<see cref="IMetadataStore.DeleteUnusedManifestAsync"/>, <see cref="IMetadataStore.UnlinkUnusedBlobAsync"/>): it
/// happens only when, at that instant, nothing in the repository needs it and it was pushed or linked before the grace
/// period. A manifest put checks its references in its own transaction, so a push racing the collection either lands
/// first (and the removal is refused) or finds its blob unlinked (MANIFEST_BLOB_UNKNOWN, nothing stored). Nothing is
/// undone later, so a collection killed at any point leaves the metadata consistent.
/// </para>
/// <para>
/// Bytes go last, fenced by the metadata store: each blob no repository links is marked as being deleted
/// (<see cref="IMetadataStore.BeginBlobDeletionAsync"/>, refused if a push linked it meanwhile), its bytes deleted, and
/// the mark removed. While the mark stands no push or mount can link the digest, on any instance; a collection killed
/// between the steps leaves the mark, and the next collection finishes the deletion (or, when none runs, the next
/// push rolls it back). One collection runs at a time: it holds the collector lease in the metadata store, renewed
/// as it goes.
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
    /// Collects garbage, or with <paramref name="dryRun"/> only reports what would be deleted. A collection holds the
    /// collector lease in the metadata store, so one runs at a time across processes and instances sharing it; a dry
    /// run deletes nothing and takes no lease.
    /// </summary>
    /// <exception cref="CollectionInProgressException">Another collection holds the lease, or took it over from this one.</exception>
    public async Task<GcReport> CollectAsync(bool dryRun = false, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Source.StartActivity(RegistryActivitySource.Gc);
        activity?.SetTag("oci.gc.dry_run", dryRun);
        var lease = dryRun ? null : await CollectorLease.AcquireAsync(_metadata, _options.Value.LeaseDuration, _time, cancellationToken).ConfigureAwait(false);
        try
        {
            Log.Started(_logger, dryRun);
            var report = await CollectExclusiveAsync(lease, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("oci.gc.blobs_deleted", report.DeletedBlobs.Count);
            activity?.SetTag("oci.gc.bytes_freed", report.BytesFreed);
            Log.Finished(_logger, dryRun, report.DeletedTags.Count, report.DeletedManifests.Count, report.UnlinkedBlobs.Count, report.DeletedBlobs.Count, report.BytesFreed, report.ExpiredUploads);
            _metrics?.GarbageCollected(dryRun, report.BytesFreed);
            return report;
        }
        finally
        {
            if (lease is not null)
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    // With no lease, a dry run.
    private async Task<GcReport> CollectExclusiveAsync(CollectorLease? lease, CancellationToken cancellationToken)
    {
        var report = new GcReport(dryRun: lease is null);
        if (lease is not null)
        {
            await ResumeDeletionsAsync(lease, report, cancellationToken).ConfigureAwait(false);
            report.ExpiredUploads = await _uploads.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
        }

        var cutoff = _time.GetUtcNow() - _options.Value.GracePeriod;
        var stored = new List<BlobEntry>();
        await foreach (var entry in _blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(entry);
        }

        var pass = new CollectionPass(cutoff, report, new ManifestReferenceReader(_blobs, _registryOptions.Value.MaxManifestBytes));
        foreach (var repository in await ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lease is not null)
            {
                await lease.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
            }

            await CollectRepositoryAsync(repository, pass, cancellationToken).ConfigureAwait(false);
        }

        var candidates = stored
            .Where(e => e.CommittedAt < cutoff && !pass.StillLinked.Contains(e.Digest))
            .OrderBy(e => e.Digest)
            .ToList();
        if (lease is null)
        {
            report.Blobs.AddRange(candidates);
            return report;
        }

        foreach (var candidate in candidates)
        {
            await lease.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
            if (await _metadata.BeginBlobDeletionAsync(candidate.Digest, cancellationToken).ConfigureAwait(false))
            {
                await DeleteMarkedAsync(candidate.Digest, cancellationToken).ConfigureAwait(false);
                report.Blobs.Add(candidate);
            }
            else
            {
                Log.KeptLinked(_logger, candidate.Digest);
            }
        }

        return report;
    }

    // Marks a collection killed before it ended them: no repository could link those blobs since (links are refused
    // while a lease is live, and this collection holds it), so their bytes go now.
    private async Task ResumeDeletionsAsync(CollectorLease lease, GcReport report, CancellationToken cancellationToken)
    {
        foreach (var digest in await _metadata.ListBlobDeletionsAsync(cancellationToken).ConfigureAwait(false))
        {
            await lease.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
            var size = await _blobs.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false);
            await DeleteMarkedAsync(digest, cancellationToken).ConfigureAwait(false);
            if (size is { } bytes)
            {
                report.Blobs.Add(new BlobEntry(digest, bytes, _time.GetUtcNow()));
            }

            Log.ResumedDeletion(_logger, digest);
        }
    }

    // The blob is marked in the metadata store: no repository links it and none can until the mark is gone, so its
    // bytes can go. A kill between the two steps leaves the mark for the next collection to resume.
    private async Task DeleteMarkedAsync(Digest digest, CancellationToken cancellationToken)
    {
        await _blobs.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);
        await _metadata.EndBlobDeletionAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    private async Task CollectRepositoryAsync(RepositoryName repository, CollectionPass pass, CancellationToken cancellationToken)
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
            .Concat(options.DeleteUntaggedManifests ? [] : manifests.Keys);
        var marked = await MarkAsync(repository, manifests, roots, pass.Reader, cancellationToken).ConfigureAwait(false);

        var unmarked = manifests.Keys.Where(d => !marked.Manifests.Contains(d)).Order().ToList();
        if (report.DryRun)
        {
            report.Manifests.AddRange(unmarked.Select(d => new RepositoryDigest(repository, d)));
        }
        else
        {
            await DeleteManifestsAsync(repository, unmarked, pass, cancellationToken).ConfigureAwait(false);
        }

        foreach (var link in (await _metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false)).OrderBy(l => l.Digest))
        {
            var keep = !marked.Complete || marked.Blobs.Contains(link.Digest) || marked.Manifests.Contains(link.Digest) || link.LinkedAt >= pass.Cutoff;
            if (keep || !(report.DryRun || await _metadata.UnlinkUnusedBlobAsync(repository, link.Digest, pass.Cutoff, cancellationToken).ConfigureAwait(false)))
            {
                pass.StillLinked.Add(link.Digest);
            }
            else
            {
                report.Links.Add(new RepositoryDigest(repository, link.Digest));
            }
        }
    }

    // An index is deleted before its children can be (the store refuses to delete a manifest another one references),
    // so the unmarked manifests are tried again while a round deletes any.
    private async Task DeleteManifestsAsync(RepositoryName repository, List<Digest> unmarked, CollectionPass pass, CancellationToken cancellationToken)
    {
        var deletedAny = true;
        while (deletedAny && unmarked.Count > 0)
        {
            deletedAny = false;
            foreach (var digest in unmarked.ToList())
            {
                if (await _metadata.DeleteUnusedManifestAsync(repository, digest, pass.Cutoff, cancellationToken).ConfigureAwait(false))
                {
                    unmarked.Remove(digest);
                    pass.Report.Manifests.Add(new RepositoryDigest(repository, digest));
                    deletedAny = true;
                }
            }
        }
    }

    private async Task<MarkedSet> MarkAsync(RepositoryName repository, Dictionary<Digest, ManifestRecord> manifests, IEnumerable<Digest> roots, ManifestReferenceReader reader, CancellationToken cancellationToken)
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
                Log.UnreadableManifest(_logger, repository.Value, digest);
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

    private async Task<List<RepositoryName>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        var repositories = new List<RepositoryName>();
        string? after = null;
        while (true)
        {
            var page = await _metadata.ListRepositoriesAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            repositories.AddRange(page);
            if (page.Count < PageSize)
            {
                return repositories;
            }

            after = page[^1].Value;
        }
    }

    private sealed class MarkedSet
    {
        public HashSet<Digest> Manifests { get; } = [];

        public HashSet<Digest> Blobs { get; } = [];

        /// <summary>False when a reachable manifest could not be read: its blobs are unknown, so no link is removed.</summary>
        public bool Complete { get; set; } = true;
    }

    private sealed class CollectionPass(DateTimeOffset cutoff, GcReport report, ManifestReferenceReader reader)
    {
        public GcReport Report { get; } = report;

        public ManifestReferenceReader Reader { get; } = reader;

        /// <summary>Links and pushes before this are outside the grace period.</summary>
        public DateTimeOffset Cutoff { get; } = cutoff;

        /// <summary>Blobs some repository still links after its pass: never deleted by this collection.</summary>
        public HashSet<Digest> StillLinked { get; } = [];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Garbage collection started (dry run: {DryRun})")]
        public static partial void Started(ILogger logger, bool dryRun);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Garbage collection finished (dry run: {DryRun}): {Tags} tags, {Manifests} manifests, {Links} blob links, {Blobs} blobs ({Bytes} bytes), {Uploads} expired uploads")]
        public static partial void Finished(ILogger logger, bool dryRun, int tags, int manifests, int links, int blobs, long bytes, int uploads);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Manifest {Digest} in {Repository} cannot be read; the repository's blob links are all kept")]
        public static partial void UnreadableManifest(ILogger logger, string repository, Digest digest);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Kept blob {Digest}: a push linked it during the collection")]
        public static partial void KeptLinked(ILogger logger, Digest digest);

        [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Finished deleting blob {Digest}, which an interrupted collection had begun to delete")]
        public static partial void ResumedDeletion(ILogger logger, Digest digest);
    }
}
