using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// Computes <see cref="StorageOverview"/> from the blob store's listing (sizes, no content) and the metadata store's
/// link aggregate (how many repositories link each blob, one query), never a repository's links one by one.
/// </summary>
internal sealed class StorageSurvey(IBlobStore blobs, IMetadataStore metadata)
{
    public async Task<StorageOverview> SurveyAsync(CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<Digest, long>();
        await foreach (var blob in blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            sizes[blob.Digest] = blob.Size;
        }

        var statistics = await metadata.GetBlobLinkStatisticsAsync(cancellationToken).ConfigureAwait(false);
        var links = 0;
        long linkedBytes = 0;
        foreach (var (digest, repositories) in statistics.LinksPerBlob)
        {
            links += repositories;
            linkedBytes += sizes.GetValueOrDefault(digest) * repositories;
        }

        return new StorageOverview(sizes.Count, sizes.Values.Sum(), statistics.Repositories, links, linkedBytes);
    }
}
