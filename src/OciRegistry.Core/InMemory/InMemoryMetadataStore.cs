using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>
/// An <see cref="IMetadataStore"/> that keeps repositories in memory, for tests and fixtures. Thread-safe: one lock
/// guards everything, so every operation, the conditional ones included, is all or nothing.
/// </summary>
public sealed partial class InMemoryMetadataStore : IMetadataStore
{
    private readonly Dictionary<RepositoryName, RepositoryMetadata> _repositories = new();

    // Kept sorted so a catalog page costs O(log n + limit), not a sort of every name (100,000 repositories: 40 ms).
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);

    // How many repositories link each blob and its size, kept as links come and go so the storage overview reads this,
    // not every link.
    private readonly Dictionary<Digest, (int Links, long Size)> _linksPerBlob = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store; <paramref name="time"/> stamps links, pushes and tags (the system clock when omitted).</summary>
    public InMemoryMetadataStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        lock (_lock)
        {
            if (IsBeingDeleted(digest))
            {
                return ValueTask.FromResult(false);
            }

            Link(GetOrAdd(repository), digest, size, _time.GetUtcNow());
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlobLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_repositories.TryGetValue(repository, out var metadata) && metadata.BlobLinks.ContainsKey(digest));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata => Unlink(metadata, digest)));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UnlinkUnusedBlobAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata =>
                metadata.BlobLinks.TryGetValue(digest, out var link)
                && link.LinkedAt < linkedBefore
                && !metadata.IsReferenced(digest)
                && Unlink(metadata, digest)));
        }
    }

    /// <inheritdoc />
    public ValueTask<ManifestPutResult> PutManifestAsync(RepositoryName repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(references);
        lock (_lock)
        {
            _repositories.TryGetValue(repository, out var existing);
            var missing = references.Blobs.Where(b => existing is null || !existing.BlobLinks.ContainsKey(b))
                .Concat(references.Manifests.Where(m => existing is null || !existing.Manifests.ContainsKey(m)))
                .Select(d => (Digest?)d)
                .FirstOrDefault();
            if (missing is { } absent)
            {
                return ValueTask.FromResult(new ManifestPutResult(ManifestPutStatus.MissingReference, absent));
            }

            if (tag is not null && tagIsImmutable && existing is not null
                && existing.Tags.TryGetValue(tag, out var current) && current.Digest != manifest.Digest)
            {
                return ValueTask.FromResult(new ManifestPutResult(ManifestPutStatus.TagImmutable));
            }

            if (IsBeingDeleted(manifest.Digest))
            {
                return ValueTask.FromResult(new ManifestPutResult(ManifestPutStatus.BlobDeleting));
            }

            var now = _time.GetUtcNow();
            var metadata = GetOrAdd(repository);
            Link(metadata, manifest.Digest, manifest.Size, now);
            metadata.Manifests[manifest.Digest] = new StoredManifest(manifest with { PushedAt = now }, references, now);
            if (tag is not null)
            {
                metadata.Tags[tag] = (manifest.Digest, now);
            }
        }

        return ValueTask.FromResult(new ManifestPutResult(ManifestPutStatus.Stored));
    }

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(
                _repositories.TryGetValue(repository, out var metadata) && metadata.Manifests.TryGetValue(digest, out var manifest)
                    ? manifest.Record
                    : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<Digest, ManifestRecord>> GetManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        lock (_lock)
        {
            var found = new Dictionary<Digest, ManifestRecord>();
            if (_repositories.TryGetValue(repository, out var metadata))
            {
                foreach (var digest in digests)
                {
                    if (metadata.Manifests.TryGetValue(digest, out var manifest))
                    {
                        found[digest] = manifest.Record;
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<Digest, ManifestRecord>>(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<Digest?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(
                _repositories.TryGetValue(repository, out var metadata) && metadata.Tags.TryGetValue(tag, out var entry)
                    ? entry.Digest
                    : (Digest?)null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(
                _repositories.TryGetValue(repository, out var metadata) && metadata.Tags.TryGetValue(tag, out var entry)
                && metadata.Manifests.TryGetValue(entry.Digest, out var manifest)
                    ? manifest.Record
                    : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata =>
            {
                if (!metadata.Manifests.Remove(digest))
                {
                    return false;
                }

                foreach (var (tag, target) in metadata.Tags.ToList())
                {
                    if (target.Digest == digest)
                    {
                        metadata.Tags.Remove(tag);
                    }
                }

                return true;
            }));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteUnusedManifestAsync(RepositoryName repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata =>
                metadata.Manifests.TryGetValue(digest, out var manifest)
                && manifest.PushedAt < pushedBefore
                && !metadata.Tags.Values.Any(t => t.Digest == digest)
                && !metadata.Manifests.Values.Any(m => m.References.Manifests.Contains(digest))
                && metadata.Manifests.Remove(digest)));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata => metadata.Tags.Remove(tag)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var tags = _repositories.TryGetValue(repository, out var metadata) ? metadata.Tags.Keys : Enumerable.Empty<string>();
            return ValueTask.FromResult(Paging.Page(tags, after, limit));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<TagEntry> tags = _repositories.TryGetValue(repository, out var metadata)
                ? [.. metadata.Tags.Select(t => new TagEntry(t.Key, t.Value.Digest, t.Value.UpdatedAt))]
                : [];
            return ValueTask.FromResult(tags);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ManifestRecord> manifests = _repositories.TryGetValue(repository, out var metadata) ? [.. metadata.Manifests.Values.Select(m => m.Record)] : [];
            return ValueTask.FromResult(manifests);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<BlobLink> blobs = _repositories.TryGetValue(repository, out var metadata)
                ? [.. metadata.BlobLinks.Select(l => new BlobLink(l.Key, l.Value.LinkedAt))]
                : [];
            return ValueTask.FromResult(blobs);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ManifestRecord> referrers = _repositories.TryGetValue(repository, out var metadata)
                ? [.. metadata.Manifests.Values.Select(m => m.Record).Where(manifest => manifest.Subject == subject).OrderBy(manifest => manifest.Digest)]
                : [];
            return ValueTask.FromResult(referrers);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RepositoryExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_repositories.ContainsKey(repository));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RepositoryName>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Known(Paging.PageSorted(_names, after, limit)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RepositoryName>> SearchRepositoriesAsync(string contains, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contains);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            IEnumerable<string> names = after is null ? _names
                : _names.Count == 0 || string.CompareOrdinal(after, _names.Max) >= 0 ? []
                : _names.GetViewBetween(after, _names.Max!);
            IReadOnlyList<string> page = [.. names
                .Where(name => (after is null || string.CompareOrdinal(name, after) > 0) && name.Contains(contains, StringComparison.OrdinalIgnoreCase))
                .Take(limit)];
            return ValueTask.FromResult(Known(page));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RepositoryName, RepositoryStatistics>> GetRepositoryStatisticsAsync(IReadOnlyCollection<RepositoryName> repositories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        lock (_lock)
        {
            IReadOnlyDictionary<RepositoryName, RepositoryStatistics> statistics = repositories.Distinct().ToDictionary(
                repository => repository,
                repository => _repositories.TryGetValue(repository, out var metadata) ? Summarize(metadata) : RepositoryStatistics.Empty);
            return ValueTask.FromResult(statistics);
        }
    }

    private static RepositoryStatistics Summarize(RepositoryMetadata metadata)
    {
        var manifests = metadata.Manifests.Values;
        var lastPush = manifests.Select(m => (DateTimeOffset?)m.PushedAt).Concat(metadata.Tags.Values.Select(t => (DateTimeOffset?)t.UpdatedAt)).Max();
        var largest = manifests.Select(m => m.Record.Size + (m.Record.ReferencedSize ?? 0)).DefaultIfEmpty().Max();
        return new RepositoryStatistics(metadata.Tags.Count, metadata.Manifests.Count, metadata.BlobLinks.Count, largest, lastPush) { Size = metadata.Size };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> ListTagEntriesAsync(RepositoryName repository, TagListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        lock (_lock)
        {
            if (!_repositories.TryGetValue(repository, out var metadata))
            {
                return ValueTask.FromResult<IReadOnlyList<TagEntry>>([]);
            }

            var order = TagEntryOrder.Of(query.Order);
            var matching = metadata.Tags
                .Select(t => new TagEntry(t.Key, t.Value.Digest, t.Value.UpdatedAt))
                .Where(t => TagEntryOrder.Matches(t.Name, query.Contains) && (query.After is not { } after || order.Compare(t, after) > 0));

            // OrderBy followed by Take selects the first entries without sorting the rest.
            IReadOnlyList<TagEntry> page = [.. matching.Order(order).Take(query.Limit)];
            return ValueTask.FromResult(page);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> CountTagsAsync(RepositoryName repository, string? contains, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_repositories.TryGetValue(repository, out var metadata)
                ? string.IsNullOrEmpty(contains) ? metadata.Tags.Count : metadata.Tags.Keys.Count(name => TagEntryOrder.Matches(name, contains))
                : 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<BlobLinkStatistics> GetBlobLinkStatisticsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var links = _linksPerBlob.Values;
            return ValueTask.FromResult(new BlobLinkStatistics(
                _repositories.Count, links.Count, links.Sum(b => b.Links), links.Sum(b => b.Size), links.Sum(b => b.Size * b.Links), BlobsOfUnknownSize: 0));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<Digest>> FindBlobsLinkedElsewhereAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        lock (_lock)
        {
            _repositories.TryGetValue(repository, out var own);
            IReadOnlySet<Digest> elsewhere = digests
                .Where(digest => _linksPerBlob.GetValueOrDefault(digest).Links > (own is not null && own.BlobLinks.ContainsKey(digest) ? 1 : 0))
                .ToHashSet();
            return ValueTask.FromResult(elsewhere);
        }
    }

    private void Link(RepositoryMetadata metadata, Digest digest, long size, DateTimeOffset now)
    {
        var added = !metadata.BlobLinks.TryGetValue(digest, out var old);
        metadata.BlobLinks[digest] = (now, size);
        metadata.Size += size - old.Size;
        _linksPerBlob[digest] = (_linksPerBlob.GetValueOrDefault(digest).Links + (added ? 1 : 0), size);
    }

    private bool Unlink(RepositoryMetadata metadata, Digest digest)
    {
        if (!metadata.BlobLinks.Remove(digest, out var old))
        {
            return false;
        }

        metadata.Size -= old.Size;
        var (links, size) = _linksPerBlob[digest];
        if (links == 1)
        {
            _linksPerBlob.Remove(digest);
        }
        else
        {
            _linksPerBlob[digest] = (links - 1, size);
        }

        return true;
    }

    // The names of _names were parsed when their repositories were added.
    private static IReadOnlyList<RepositoryName> Known(IReadOnlyList<string> names) => [.. names.Select(RepositoryName.FromParsed)];

    private RepositoryMetadata GetOrAdd(RepositoryName repository)
    {
        if (!_repositories.TryGetValue(repository, out var metadata))
        {
            metadata = new RepositoryMetadata();
            _repositories.Add(repository, metadata);
            _names.Add(repository.Value);
        }

        return metadata;
    }

    /// <summary>Applies <paramref name="change"/> to an existing repository and forgets the repository once it is empty.</summary>
    private bool Change(RepositoryName repository, Func<RepositoryMetadata, bool> change)
    {
        if (!_repositories.TryGetValue(repository, out var metadata) || !change(metadata))
        {
            return false;
        }

        if (metadata.IsEmpty)
        {
            _repositories.Remove(repository);
            _names.Remove(repository.Value);
        }

        return true;
    }
}
