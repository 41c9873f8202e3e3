using OciRegistry.Core.References;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Manifests;

/// <summary>
/// Brings the upstream's referrers of a subject (signatures, SBOMs, attestations) into the cache when a client lists
/// them, at most once per <see cref="MirrorOptions.TagCheckInterval"/> per subject: the referrers API first, else the
/// tag schema's index (<c>sha256-&lt;hex&gt;</c>, as registries without the API and cosign keep them). Each referrer
/// the repository lacks is fetched by digest and stored byte for byte; it then lists locally, so signatures cross the
/// mirror, an export and the air gap. An unreachable upstream leaves the local listing as it is.
/// </summary>
/// <remarks>The check time is kept under the tag schema's name, with the tags' check times (<see cref="CheckTimes"/>).</remarks>
internal sealed partial class ReferrerChecks(
    IMetadataStore metadata,
    CheckTimes checks,
    ManifestStore manifests,
    IOptions<MirrorOptions> options,
    MirrorMetrics metrics,
    TimeProvider time,
    ILogger<ReferrerChecks> logger)
{
    public async ValueTask RefreshAsync(UpstreamClient client, string remoteRepository, RepositoryName repository, Digest subject, CancellationToken cancellationToken)
    {
        var schemaTag = SchemaTag(subject);
        if (await checks.GetAsync(repository, schemaTag, cancellationToken).ConfigureAwait(false) is { } last
            && time.GetUtcNow() - last < options.Value.TagCheckInterval)
        {
            return;
        }

        try
        {
            var index = await client.GetReferrersAsync(remoteRepository, subject, cancellationToken).ConfigureAwait(false);
            var mediaType = ManifestMediaTypes.OciIndex;
            if (index is null)
            {
                (_, index, mediaType) = await client.GetManifestAsync(remoteRepository, schemaTag, cancellationToken).ConfigureAwait(false);
            }

            if (index is not null && ManifestParser.Parse(index, mediaType) is { IsSuccess: true } parsed)
            {
                foreach (var referrer in parsed.Value.Manifests)
                {
                    await FetchAsync(client, remoteRepository, repository, referrer.Digest, cancellationToken).ConfigureAwait(false);
                }
            }

            await checks.RecordAsync(repository, schemaTag, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException unreachable)
        {
            Log.Unreachable(logger, client.Options.Name, unreachable.Message);
        }
    }

    /// <summary>The tag schema's name for the referrers of <paramref name="subject"/>, under which its check time is kept.</summary>
    public static string SchemaTag(Digest subject) => subject.ToString().Replace(':', '-');

    private async ValueTask FetchAsync(UpstreamClient client, string remoteRepository, RepositoryName repository, Digest referrer, CancellationToken cancellationToken)
    {
        if (await metadata.GetManifestAsync(repository, referrer, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        metrics.Miss("manifest");
        var (_, bytes, mediaType) = await client.GetManifestAsync(remoteRepository, referrer.ToString(), cancellationToken).ConfigureAwait(false);
        if (bytes is null || !await manifests.PutAsync(repository, bytes, mediaType, referrer, tag: null, cancellationToken).ConfigureAwait(false))
        {
            Log.Refused(logger, referrer, repository);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "Upstream {Upstream} unreachable while listing referrers: {Reason}")]
        public static partial void Unreachable(ILogger logger, string upstream, string reason);

        [LoggerMessage(31, LogLevel.Warning, "Referrer {Digest} of {Repository} could not be fetched or did not match its digest; not cached")]
        public static partial void Refused(ILogger logger, Digest digest, RepositoryName repository);
    }
}
