using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Copies images from a source to a target byte for byte: every child of an index (every platform), every blob, and
/// every referrer (signatures, SBOMs, attestations) of each manifest, children before parents, so a manifest appears
/// only once all it names is there. What the target has already is skipped: copying again resumes an interrupted copy.
/// </summary>
internal sealed class ImageCopier(IImageSource source, IImageTarget target, ITransferProgress? progress)
{
    private readonly HashSet<(string Repository, Digest Digest)> _visited = [];
    private int _manifests;
    private int _blobs;
    private long _bytes;

    public TransferSummary Summary(int images) => new(images, _manifests, _blobs, _bytes);

    /// <summary>Copies <paramref name="reference"/> (a tag or digest) of <paramref name="sourceRepository"/>, tagging it <paramref name="tag"/> in the target.</summary>
    public async Task CopyAsync(string sourceRepository, string reference, string targetRepository, string? tag, CancellationToken cancellationToken)
    {
        var manifest = await source.GetManifestAsync(sourceRepository, reference, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{sourceRepository}:{reference} is not in the source");
        await CopyManifestAsync(sourceRepository, targetRepository, manifest, tag, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyManifestAsync(string sourceRepository, string targetRepository, ManifestDocument manifest, string? tag, CancellationToken cancellationToken)
    {
        if (!_visited.Add((targetRepository, manifest.Digest)) && tag is null)
        {
            return;
        }

        var parsed = ManifestParser.Parse(manifest.Bytes, manifest.MediaType);
        if (!parsed.IsSuccess)
        {
            throw new InvalidDataException($"{sourceRepository}@{manifest.Digest}: {parsed.Error.Message}");
        }

        if (!await target.HasManifestAsync(targetRepository, manifest.Digest, cancellationToken).ConfigureAwait(false))
        {
            foreach (var child in parsed.Value.Manifests)
            {
                await CopyAsync(sourceRepository, child.Digest.ToString(), targetRepository, null, cancellationToken).ConfigureAwait(false);
            }

            foreach (var blob in parsed.Value.Config is { } config ? parsed.Value.Layers.Prepend(config) : parsed.Value.Layers)
            {
                await CopyBlobAsync(sourceRepository, targetRepository, blob, cancellationToken).ConfigureAwait(false);
            }

            await target.PutManifestAsync(targetRepository, manifest, tag, cancellationToken).ConfigureAwait(false);
            _manifests++;
        }
        else if (tag is not null)
        {
            await target.PutManifestAsync(targetRepository, manifest, tag, cancellationToken).ConfigureAwait(false);
        }

        foreach (var referrer in await source.GetReferrersAsync(sourceRepository, manifest.Digest, cancellationToken).ConfigureAwait(false))
        {
            await CopyAsync(sourceRepository, referrer.Digest.ToString(), targetRepository, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyBlobAsync(string sourceRepository, string targetRepository, Descriptor blob, CancellationToken cancellationToken)
    {
        if (!_visited.Add((targetRepository, blob.Digest))
            || await target.HasBlobAsync(targetRepository, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var content = await source.OpenBlobAsync(sourceRepository, blob.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{sourceRepository}@{blob.Digest} is not in the source");
        await using (content.ConfigureAwait(false))
        {
            await target.PutBlobAsync(targetRepository, blob.Digest, blob.Size, content, cancellationToken).ConfigureAwait(false);
        }

        _blobs++;
        _bytes += blob.Size;
        progress?.Transferred(blob.Size);
    }
}
