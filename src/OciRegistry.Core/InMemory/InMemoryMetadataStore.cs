using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>
/// An <see cref="IMetadataStore"/> that keeps repositories in memory, for tests and fixtures. Thread-safe: one lock
/// guards everything, so every operation, the conditional ones included, is all or nothing.
/// </summary>
public sealed partial class InMemoryMetadataStore : IMetadataStore
{
    private readonly Dictionary<string, RepositoryMetadata> _repositories = new(StringComparer.Ordinal);

    // Kept sorted so a catalog page costs O(log n + limit), not a sort of every name (100,000 repositories: 40 ms).
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store; <paramref name="time"/> stamps links, pushes and tags (the system clock when omitted).</summary>
    public InMemoryMetadataStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            GetOrAdd(repository).BlobLinks[digest] = _time.GetUtcNow();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_repositories.TryGetValue(repository, out var metadata) && metadata.BlobLinks.ContainsKey(digest));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata => metadata.BlobLinks.Remove(digest)));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UnlinkUnusedBlobAsync(string repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata =>
                metadata.BlobLinks.TryGetValue(digest, out var linkedAt)
                && linkedAt < linkedBefore
                && !metadata.IsReferenced(digest)
                && metadata.BlobLinks.Remove(digest)));
        }
    }

    /// <inheritdoc />
    public ValueTask<ManifestPutResult> PutManifestAsync(string repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default)
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

            var now = _time.GetUtcNow();
            var metadata = GetOrAdd(repository);
            metadata.BlobLinks[manifest.Digest] = now;
            metadata.Manifests[manifest.Digest] = new StoredManifest(manifest with { PushedAt = now }, references, now);
            if (tag is not null)
            {
                metadata.Tags[tag] = (manifest.Digest, now);
            }
        }

        return ValueTask.FromResult(new ManifestPutResult(ManifestPutStatus.Stored));
    }

    /// <inheritdoc />
    public ValueTask<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
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
    public ValueTask<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken = default)
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
    public ValueTask<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
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
    public ValueTask<bool> DeleteUnusedManifestAsync(string repository, Digest digest, DateTimeOffset pushedBefore, CancellationToken cancellationToken = default)
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
    public ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Change(repository, metadata => metadata.Tags.Remove(tag)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var tags = _repositories.TryGetValue(repository, out var metadata) ? metadata.Tags.Keys : Enumerable.Empty<string>();
            return ValueTask.FromResult(Paging.Page(tags, after, limit));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(string repository, CancellationToken cancellationToken = default)
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
    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ManifestRecord> manifests = _repositories.TryGetValue(repository, out var metadata) ? [.. metadata.Manifests.Values.Select(m => m.Record)] : [];
            return ValueTask.FromResult(manifests);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlobLink>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<BlobLink> blobs = _repositories.TryGetValue(repository, out var metadata)
                ? [.. metadata.BlobLinks.Select(l => new BlobLink(l.Key, l.Value))]
                : [];
            return ValueTask.FromResult(blobs);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default)
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
    public ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_repositories.ContainsKey(repository));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Paging.PageSorted(_names, after, limit));
        }
    }

    private RepositoryMetadata GetOrAdd(string repository)
    {
        if (!_repositories.TryGetValue(repository, out var metadata))
        {
            metadata = new RepositoryMetadata();
            _repositories.Add(repository, metadata);
            _names.Add(repository);
        }

        return metadata;
    }

    /// <summary>Applies <paramref name="change"/> to an existing repository and forgets the repository once it is empty.</summary>
    private bool Change(string repository, Func<RepositoryMetadata, bool> change)
    {
        if (!_repositories.TryGetValue(repository, out var metadata) || !change(metadata))
        {
            return false;
        }

        if (metadata.IsEmpty)
        {
            _repositories.Remove(repository);
            _names.Remove(repository);
        }

        return true;
    }
}
