using OciRegistry.Core.References;
using Microsoft.Extensions.Logging;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Upstream;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Eviction;
using OciRegistry.Mirror.Manifests;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror;

/// <summary>
/// The pull-through mirror as the registry operations see it: repositories under an upstream's name are served from
/// the stores, and what they lack is fetched from that upstream (manifests by digest, blobs once per digest), stored
/// through the same contracts and operations as a push, then served like any other content.
/// </summary>
internal sealed partial class MirrorSource(
    UpstreamRouter router,
    ManifestStore manifests,
    TagChecks tags,
    ReferrerChecks referrers,
    PullRecorder pulls,
    BlobFills fills,
    MirrorMetrics metrics,
    ILogger<MirrorSource> logger) : IUpstreamSource
{
    public bool Covers(string repository) => router.Route(repository) is not null;

    public bool AcceptsPushes(string repository) => router.Route(repository)?.Client.Options.AllowPushes ?? true;

    public string? RepositoryPrefixForNamespace(string upstreamHost) => router.PrefixForNamespace(upstreamHost);

    public ValueTask<RegistryError?> RefreshTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        router.Route(repository.Value) is var (client, remote) ? tags.RefreshAsync(client, remote, repository, tag) : ValueTask.FromResult<RegistryError?>(null);

    public async ValueTask<bool> FetchManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (router.Route(repository.Value) is not var (client, remote))
        {
            return false;
        }

        metrics.Miss("manifest");
        try
        {
            var (_, bytes, mediaType) = await client.GetManifestAsync(remote, digest.ToString(), cancellationToken).ConfigureAwait(false);
            return bytes is not null && await manifests.PutAsync(repository, bytes, mediaType, digest, tag: null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException unreachable)
        {
            Log.Unreachable(logger, client.Options.Name, unreachable.Message);
            return false;
        }
    }

    public async ValueTask<long?> StatBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (router.Route(repository.Value) is not var (client, remote))
        {
            return null;
        }

        if (fills.LengthInProgress(digest) is { } length)
        {
            return length;
        }

        try
        {
            return await client.HeadBlobAsync(remote, digest, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException unreachable)
        {
            Log.Unreachable(logger, client.Options.Name, unreachable.Message);
            return null;
        }
    }

    public async ValueTask<IBlobContent?> OpenBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (router.Route(repository.Value) is not var (client, remote))
        {
            return null;
        }

        try
        {
            return await fills.OpenAsync(client, remote, repository, digest, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException unreachable)
        {
            Log.Unreachable(logger, client.Options.Name, unreachable.Message);
            return null;
        }
    }

    public ValueTask RecordPullAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        pulls.RecordAsync(repository, digest, cancellationToken);

    public ValueTask RefreshReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken = default) =>
        router.Route(repository.Value) is var (client, remote) ? referrers.RefreshAsync(client, remote, repository, subject, cancellationToken) : ValueTask.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Upstream {Upstream} unreachable: {Reason}")]
        public static partial void Unreachable(ILogger logger, string upstream, string reason);
    }
}
