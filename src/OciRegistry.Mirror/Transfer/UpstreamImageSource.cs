using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Transfer;

/// <summary>Reads images from an upstream registry over its API (for <c>sync</c>); repositories must be named, not listed.</summary>
internal sealed class UpstreamImageSource(UpstreamClient client) : IImageSource
{
    public async IAsyncEnumerable<string> ListRepositoriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken) => client.ListTagsAsync(repository, cancellationToken);

    public async Task<ManifestDocument?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var (_, bytes, mediaType) = await client.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (bytes is null || ManifestParser.Parse(bytes, mediaType) is not { IsSuccess: true } parsed)
        {
            return null;
        }

        var digest = Digest.TryParse(reference.AsSpan(), out var requested) == DigestParseStatus.Valid ? requested : parsed.Value.Digest;
        return digest == parsed.Value.Digest ? new ManifestDocument(digest, parsed.Value.MediaType, bytes) : null;
    }

    public async Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var response = await client.GetBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            return null;
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var index = await client.GetReferrersAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        return index is not null && ManifestParser.Parse(index, ManifestMediaTypes.OciIndex) is { IsSuccess: true } parsed ? parsed.Value.Manifests : [];
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
