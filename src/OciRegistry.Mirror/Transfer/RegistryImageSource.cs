using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Operations;

namespace OciRegistry.Mirror.Transfer;

/// <summary>Reads images from this registry through its operations (so any storage backend works).</summary>
internal sealed class RegistryImageSource(ManifestOperations manifests, BlobOperations blobs, ListingOperations listings) : IImageSource
{
    public async IAsyncEnumerable<string> ListRepositoriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        while (true)
        {
            var page = await listings.ListRepositoriesAsync(null, last, cancellationToken).ConfigureAwait(false);
            if (!page.IsSuccess)
            {
                yield break;
            }

            foreach (var name in page.Value.Items)
            {
                yield return name;
            }

            if (!page.Value.HasMore || page.Value.Items.Count == 0)
            {
                yield break;
            }

            last = page.Value.Items[^1];
        }
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        string? last = null;
        while (true)
        {
            var page = await listings.ListTagsAsync(repository, null, last, cancellationToken).ConfigureAwait(false);
            if (!page.IsSuccess)
            {
                return tags;
            }

            tags.AddRange(page.Value.Items);
            if (!page.Value.HasMore || page.Value.Items.Count == 0)
            {
                return tags;
            }

            last = page.Value.Items[^1];
        }
    }

    public async Task<ManifestDocument?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var manifest = await manifests.GetAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        return manifest.IsSuccess ? new ManifestDocument(manifest.Value.Record.Digest, manifest.Value.Record.MediaType, manifest.Value.Bytes.ToArray()) : null;
    }

    public async Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var content = await blobs.OpenAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
        return content.IsSuccess ? new ContentStream(content.Value) : null;
    }

    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var referrers = await manifests.ReferrersAsync(repository, digest.ToString(), null, cancellationToken).ConfigureAwait(false);
        return referrers.IsSuccess ? referrers.Value : [];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
