namespace OciRegistry.Core.Operations;

/// <summary>The rules a registry enforces. Bound from configuration section <c>OciRegistry</c> by the hosting packages.</summary>
public sealed class RegistryOptions
{
    /// <summary>The default <see cref="MaxManifestBytes"/>: 4 MiB, as CNCF Distribution.</summary>
    public const int DefaultMaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>The default <see cref="MaxPageSize"/>.</summary>
    public const int DefaultMaxPageSize = 1000;

    /// <summary>The largest manifest accepted, in bytes.</summary>
    public int MaxManifestBytes { get; set; } = DefaultMaxManifestBytes;

    /// <summary>Whether manifests, tags and blobs may be deleted. When off, deletes answer UNSUPPORTED (405).</summary>
    public bool DeletesEnabled { get; set; } = true;

    /// <summary>How long an upload session may stay unfinished before it is treated as abandoned and removed.</summary>
    public TimeSpan UploadSessionLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most items one page of tags, referrers or the catalog holds; a larger <c>n</c> is cut to this.</summary>
    public int MaxPageSize { get; set; } = DefaultMaxPageSize;

    /// <summary>The smallest chunk size the registry asks clients for (<c>OCI-Chunk-Min-Length</c>); null sends no header.</summary>
    public long? ChunkMinLength { get; set; }

    /// <summary>The largest blob accepted, in bytes; null for no limit.</summary>
    public long? MaxBlobBytes { get; set; }

    /// <summary>
    /// How many unfinished upload sessions may exist at once, across all repositories; a new one beyond that answers
    /// TOOMANYREQUESTS (429) until sessions finish, are cancelled or expire. Null for no limit.
    /// </summary>
    public int? MaxUploadSessions { get; set; }

    /// <summary>The default <see cref="MaxUploadSessionsPerClient"/>.</summary>
    public const int DefaultMaxUploadSessionsPerClient = 64;

    /// <summary>
    /// How many resumable upload sessions one client (its user name when signed in, else its remote address) may hold
    /// open at once; one more answers that client alone TOOMANYREQUESTS (429) until its sessions finish, are cancelled
    /// or expire. Null for no limit. Enforced by the HTTP host, per instance.
    /// </summary>
    public int? MaxUploadSessionsPerClient { get; set; } = DefaultMaxUploadSessionsPerClient;

    /// <summary>
    /// How often sessions older than <see cref="UploadSessionLifetime"/> are removed while the registry serves: hourly
    /// by default; null to leave it to garbage collection.
    /// </summary>
    public TimeSpan? UploadSessionCleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether <c>POST ?mount=</c> without <c>from</c> links a blob the registry already has in any repository.
    /// Hosts with per-repository access control should turn this off: it would reveal blobs across repositories.
    /// </summary>
    public bool MountWithoutFrom { get; set; } = true;

    /// <summary>
    /// When set, a blob GET is answered with 307 Temporary Redirect to a URL of the blob store valid this long (when the
    /// store can sign one, see <see cref="Storage.IBlobRedirects"/>), so clients read the bytes from the store itself;
    /// HEAD, manifests and stores that cannot sign stay served by the registry. Only for clients that can reach the
    /// store. Null (the default) serves every blob through the registry.
    /// </summary>
    public TimeSpan? BlobRedirectLifetime { get; set; }

    /// <summary>How many bytes of manifests are kept in memory to serve GETs without touching storage.</summary>
    public long ManifestCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Tags that, once pushed, cannot be moved to another manifest or deleted (DENIED): .NET regular expressions, each
    /// matched against the whole tag, e.g. <c>v\d+\.\d+\.\d+</c>. Re-pushing the same manifest under such a tag is allowed.
    /// </summary>
    public IList<string> ImmutableTagPatterns { get; } = [];

    /// <summary>Returns the problems with these options, one sentence each naming the option; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxManifestBytes <= 0)
        {
            yield return $"OciRegistry:{nameof(MaxManifestBytes)} must be positive (was {MaxManifestBytes}).";
        }

        if (MaxPageSize <= 0)
        {
            yield return $"OciRegistry:{nameof(MaxPageSize)} must be positive (was {MaxPageSize}).";
        }

        if (UploadSessionLifetime <= TimeSpan.Zero)
        {
            yield return $"OciRegistry:{nameof(UploadSessionLifetime)} must be positive (was {UploadSessionLifetime}).";
        }

        if (ChunkMinLength is <= 0)
        {
            yield return $"OciRegistry:{nameof(ChunkMinLength)} must be positive when set (was {ChunkMinLength}).";
        }

        if (MaxUploadSessions is <= 0)
        {
            yield return $"OciRegistry:{nameof(MaxUploadSessions)} must be positive when set (was {MaxUploadSessions}).";
        }

        if (MaxUploadSessionsPerClient is <= 0)
        {
            yield return $"OciRegistry:{nameof(MaxUploadSessionsPerClient)} must be positive when set (was {MaxUploadSessionsPerClient}).";
        }

        if (UploadSessionCleanupInterval is { } cleanup && cleanup <= TimeSpan.Zero)
        {
            yield return $"OciRegistry:{nameof(UploadSessionCleanupInterval)} must be positive when set (was {cleanup}).";
        }

        if (BlobRedirectLifetime is { } redirect && redirect <= TimeSpan.Zero)
        {
            yield return $"OciRegistry:{nameof(BlobRedirectLifetime)} must be positive when set (was {redirect}).";
        }

        if (MaxBlobBytes is < 0)
        {
            yield return $"OciRegistry:{nameof(MaxBlobBytes)} must not be negative (was {MaxBlobBytes}).";
        }

        foreach (var pattern in ImmutableTagPatterns)
        {
            if (TagPatterns.Problem(pattern) is { } problem)
            {
                yield return $"OciRegistry:{nameof(ImmutableTagPatterns)} has an invalid pattern '{pattern}': {problem}";
            }
        }

        if (ManifestCacheBytes < 0)
        {
            yield return $"OciRegistry:{nameof(ManifestCacheBytes)} must not be negative (was {ManifestCacheBytes}).";
        }
    }
}
