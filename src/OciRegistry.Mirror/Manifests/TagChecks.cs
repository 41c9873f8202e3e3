using OciRegistry.Core.References;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Manifests;

/// <summary>
/// Keeps cached tags current at the cost of one upstream HEAD per tag per <see cref="MirrorOptions.TagCheckInterval"/>
/// (Docker Hub counts GETs, not HEADs, against its rate limit): unchanged → nothing fetched; moved → the new manifest
/// fetched by digest. When the upstream is down or answers 429, the cached tag is served up to
/// <see cref="MirrorOptions.MaxStaleness"/> after its last successful check. Concurrent checks of one tag share one HEAD.
/// </summary>
/// <remarks>
/// Check times are kept in the metadata store (<see cref="CheckTimes"/>), so a restart asks the upstream again only when
/// the interval has passed. A cached tag with no record (cached before records were kept) counts as checked at
/// start-up, so a mirror whose upstream is down keeps serving it.
/// </remarks>
internal sealed partial class TagChecks(
    IMetadataStore metadata,
    CheckTimes checks,
    ManifestStore manifests,
    IOptions<MirrorOptions> options,
    MirrorMetrics metrics,
    TimeProvider time,
    ILogger<TagChecks> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryError?>>> _running = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public async ValueTask<RegistryError?> RefreshAsync(UpstreamClient client, string remoteRepository, RepositoryName repository, string tag)
    {
        var key = repository + ":" + tag;
        if (await checks.GetAsync(repository, tag, default).ConfigureAwait(false) is { } last && time.GetUtcNow() - last < options.Value.TagCheckInterval)
        {
            metrics.Hit();
            return null;
        }

        var check = _running.GetOrAdd(key, _ => new Lazy<Task<RegistryError?>>(() => CheckAsync(client, remoteRepository, repository, tag)));
        try
        {
            return await check.Value.ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(key, check));
        }
    }

    private async Task<RegistryError?> CheckAsync(UpstreamClient client, string remoteRepository, RepositoryName repository, string tag)
    {
        HttpStatusCode status;
        try
        {
            (status, var upstream) = await client.HeadManifestAsync(remoteRepository, tag).ConfigureAwait(false);
            if (status == HttpStatusCode.OK)
            {
                var local = await metadata.ResolveTagAsync(repository, tag).ConfigureAwait(false);
                if (upstream is { } digest && local == digest)
                {
                    metrics.Hit();
                }
                else if (!(upstream is { } moved && await manifests.RetagAsync(repository, moved, tag, default).ConfigureAwait(false)))
                {
                    metrics.Miss("manifest");
                    var (fetchStatus, bytes, mediaType) = await client.GetManifestAsync(remoteRepository, upstream?.ToString() ?? tag).ConfigureAwait(false);
                    status = fetchStatus;
                    if (bytes is null || !await manifests.PutAsync(repository, bytes, mediaType, upstream, tag, default).ConfigureAwait(false))
                    {
                        return await ServeStaleAsync(repository, tag, status, local).ConfigureAwait(false);
                    }
                }

                await checks.RecordAsync(repository, tag, time.GetUtcNow(), default).ConfigureAwait(false);
                return null;
            }
        }
        catch (HttpRequestException unreachable)
        {
            Log.Unreachable(logger, client.Options.Name, unreachable.Message);
            status = HttpStatusCode.ServiceUnavailable;
        }

        if (status == HttpStatusCode.NotFound)
        {
            return null; // the upstream has no such tag: the registry answers from what it has, usually MANIFEST_UNKNOWN
        }

        return await ServeStaleAsync(repository, tag, status, await metadata.ResolveTagAsync(repository, tag).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async ValueTask<RegistryError?> ServeStaleAsync(RepositoryName repository, string tag, HttpStatusCode status, Core.Digests.Digest? local)
    {
        var lastGood = await checks.GetAsync(repository, tag, default).ConfigureAwait(false) ?? _startedAt;
        if (local is not null && time.GetUtcNow() - lastGood <= options.Value.MaxStaleness)
        {
            metrics.StaleServe();
            Log.Stale(logger, repository, tag, (int)status);
            return null;
        }

        return status == HttpStatusCode.TooManyRequests
            ? RegistryError.TooManyRequests($"the upstream of '{repository}' is rate-limiting and '{tag}' is not cached recently enough")
            : new RegistryError(RegistryErrorCode.ManifestUnknown, $"the upstream of '{repository}' answered {(int)status} and '{tag}' is not cached recently enough");
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Upstream {Upstream} unreachable: {Reason}")]
        public static partial void Unreachable(ILogger logger, string upstream, string reason);

        [LoggerMessage(11, LogLevel.Information, "Served {Repository}:{Tag} from cache; the upstream answered {Status}")]
        public static partial void Stale(ILogger logger, RepositoryName repository, string tag, int status);
    }
}
