using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Carries images across an air gap: <see cref="ExportAsync"/> writes chosen images of this registry as an OCI image
/// layout (folder or tar), <see cref="ImportAsync"/> loads one into this registry, <see cref="SyncAsync"/> fills this
/// registry from an upstream. Every platform of an index and every referrer travels along, digests unchanged; all three
/// skip what the target has, so running one again resumes it.
/// </summary>
public sealed class ImageTransfer
{
    private readonly UploadOperations _uploads;
    private readonly BlobOperations _blobs;
    private readonly ManifestOperations _manifests;
    private readonly ListingOperations _listings;
    private readonly IBlobStore _blobStore;
    private readonly IMetadataStore _metadata;

    /// <summary>Creates the transfers over this registry's operations (and its stores, to see what is there already).</summary>
    public ImageTransfer(UploadOperations uploads, BlobOperations blobs, ManifestOperations manifests, ListingOperations listings, IBlobStore blobStore, IMetadataStore metadata)
    {
        _uploads = uploads;
        _blobs = blobs;
        _manifests = manifests;
        _listings = listings;
        _blobStore = blobStore;
        _metadata = metadata;
    }

    /// <summary>
    /// Writes the images <paramref name="patterns"/> select (<c>team/*:1.*</c>, <c>library/nginx</c> for every tag,
    /// <c>app@sha256:…</c>) to <paramref name="path"/>: an OCI image layout folder, or a tar file when it ends in <c>.tar</c>.
    /// </summary>
    public async Task<TransferSummary> ExportAsync(IEnumerable<string> patterns, string path, ITransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var source = new RegistryImageSource(_manifests, _blobs, _listings);
        var target = new OciLayoutTarget(path);
        var images = await ImageSelection.ResolveAsync(source, patterns, cancellationToken).ConfigureAwait(false);
        return await CopyAsync(source, target, images.Select(i => (i.Repository, i.Reference, i.Repository)).ToList(), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the OCI image layout at <paramref name="path"/> (folder or <c>.tar</c>) into this registry: every tagged image
    /// and referrer in its index.json, under the repository it was exported from (<paramref name="defaultRepository"/> for
    /// layouts other tools wrote).
    /// </summary>
    public async Task<TransferSummary> ImportAsync(string path, string defaultRepository = "imported", ITransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var source = await OciLayoutSource.OpenAsync(path, defaultRepository, cancellationToken).ConfigureAwait(false);
        var images = source.Entries.Select(e => (e.Repository, e.Tag ?? e.Digest.ToString(), e.Repository)).ToList();
        return await CopyAsync(source, Target(), images, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies <paramref name="images"/> (patterns as for <see cref="ExportAsync"/>; repositories must be named) from
    /// <paramref name="upstream"/> into this registry, under <paramref name="prefix"/><c>/</c> when given — the upstream's
    /// mirror name, so a mirror serves them as if it had pulled them through.
    /// </summary>
    public async Task<TransferSummary> SyncAsync(UpstreamOptions upstream, IEnumerable<string> images, string? prefix = null, ITransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var source = new UpstreamImageSource(new UpstreamClient(upstream));
        var selected = await ImageSelection.ResolveAsync(source, images, cancellationToken).ConfigureAwait(false);
        var plan = selected.Select(i => (i.Repository, i.Reference, string.IsNullOrEmpty(prefix) ? i.Repository : $"{prefix}/{i.Repository}")).ToList();
        return await CopyAsync(source, Target(), plan, progress, cancellationToken).ConfigureAwait(false);
    }

    private RegistryImageTarget Target() => new(_uploads, _manifests, _blobStore, _metadata);

    private static async Task<TransferSummary> CopyAsync(IImageSource source, IImageTarget target, IReadOnlyList<(string Source, string Reference, string Target)> images, ITransferProgress? progress, CancellationToken cancellationToken)
    {
        await using (source.ConfigureAwait(false))
        await using (target.ConfigureAwait(false))
        {
            var copier = new ImageCopier(source, target, progress);
            progress?.Planned(images.Count);
            foreach (var (sourceRepository, reference, targetRepository) in images)
            {
                var name = $"{targetRepository}{(reference.Contains(':', StringComparison.Ordinal) ? "@" : ":")}{reference}";
                progress?.ImageStarted(name);
                var tag = Digest.TryParse(reference.AsSpan(), out _) == DigestParseStatus.Valid ? null : reference;
                await copier.CopyAsync(sourceRepository, reference, targetRepository, tag, cancellationToken).ConfigureAwait(false);
                progress?.ImageFinished(name);
            }

            await target.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return copier.Summary(images.Count);
        }
    }
}
