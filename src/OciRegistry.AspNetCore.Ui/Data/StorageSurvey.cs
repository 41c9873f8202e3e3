using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// Computes <see cref="StorageOverview"/> from the blob store's listing (sizes, no content) and every repository's
/// blob links. It visits the whole registry's metadata, so it runs only when the storage page is opened.
/// </summary>
internal sealed class StorageSurvey(IBlobStore blobs, IMetadataStore metadata)
{
    private const int RepositoryBatch = 1000;

    public async Task<StorageOverview> SurveyAsync(CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<Digest, long>();
        await foreach (var blob in blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            sizes[blob.Digest] = blob.Size;
        }

        var repositories = 0;
        var links = 0;
        long linkedBytes = 0;
        string? after = null;
        while (true)
        {
            var names = await metadata.ListRepositoriesAsync(after, RepositoryBatch, cancellationToken).ConfigureAwait(false);
            foreach (var name in names)
            {
                repositories++;
                foreach (var link in await metadata.ListBlobLinksAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    links++;
                    linkedBytes += sizes.GetValueOrDefault(link.Digest);
                }
            }

            if (names.Count < RepositoryBatch)
            {
                break;
            }

            after = names[^1];
        }

        return new StorageOverview(sizes.Count, sizes.Values.Sum(), repositories, links, linkedBytes);
    }
}
