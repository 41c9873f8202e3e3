using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Upstream;

/// <summary>
/// Where content a repository lacks can come from: a pull-through mirror of another registry. The operations consult it
/// only for repositories it <see cref="Covers"/>, and only on a miss (plus the tag check before a tag is resolved), so a
/// registry without one behaves exactly as before. Whatever it fetches it stores through the ordinary store contracts,
/// so cached content is an ordinary repository afterwards.
/// </summary>
public interface IUpstreamSource
{
    /// <summary>True when <paramref name="repository"/> is served from an upstream (misses are fetched there).</summary>
    bool Covers(string repository);

    /// <summary>True when clients may push into <paramref name="repository"/> although it is covered.</summary>
    bool AcceptsPushes(string repository);

    /// <summary>
    /// The local repository prefix of the upstream configured for <paramref name="upstreamHost"/> (containerd's
    /// <c>?ns=</c> parameter), or null when none is configured for it: a host is never taken from the request.
    /// </summary>
    string? RepositoryPrefixForNamespace(string upstreamHost);

    /// <summary>
    /// Called before <paramref name="tag"/> is resolved: brings the tag up to date with the upstream when it has not been
    /// checked recently. An error (upstream unreachable and the tag too stale) is returned to the client as it is.
    /// </summary>
    ValueTask<RegistryError?> RefreshTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>Fetches manifest <paramref name="digest"/> from the upstream and stores it; false when the upstream lacks it.</summary>
    ValueTask<bool> FetchManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>The size of a blob the repository lacks, as the upstream tells it (no download); null when unknown there.</summary>
    ValueTask<long?> StatBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob the repository lacks: reads are served while it is fetched from the upstream (once, however many
    /// callers ask), and it is stored once verified. Null when the upstream lacks it. Reads throw when the fetched bytes
    /// fail verification.
    /// </summary>
    ValueTask<IBlobContent?> OpenBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Called when a manifest of <paramref name="repository"/> is pulled (by tag or digest), so the cache knows what is in use.</summary>
    ValueTask RecordPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Called before the referrers of <paramref name="subject"/> are listed: brings in the referrers the upstream knows
    /// (signatures, SBOMs) that the repository lacks, when it has not asked recently. Failures leave the local listing.
    /// </summary>
    ValueTask RefreshReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
