using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Reads manifests' bytes from the blob store and parses what they reference, once per digest (content-addressed, so
/// the answer never changes). One instance lives for one collection or verification.
/// </summary>
internal sealed class ManifestReferenceReader(IBlobStore blobs, int maxManifestBytes)
{
    private readonly Dictionary<Digest, ManifestReferences?> _known = [];

    /// <summary>The manifest's references, or <c>null</c> when its bytes are missing or do not parse.</summary>
    public async ValueTask<ManifestReferences?> ReadAsync(ManifestRecord record, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(record.Digest, out var known))
        {
            return known;
        }

        var bytes = await ReadBytesAsync(record.Digest, cancellationToken).ConfigureAwait(false);
        var parsed = bytes is null ? default : ManifestParser.Parse(bytes, record.MediaType, maxManifestBytes);
        ManifestReferences? references = null;
        if (bytes is not null && parsed.IsSuccess)
        {
            var manifest = parsed.Value;
            var blobDigests = new List<Digest>();
            var children = new List<Digest>();
            foreach (var (descriptor, kind) in manifest.References)
            {
                switch (kind)
                {
                    case ReferenceKind.Config or ReferenceKind.Layer:
                        blobDigests.Add(descriptor.Digest);
                        break;
                    case ReferenceKind.Manifest:
                        children.Add(descriptor.Digest);
                        break;
                }
            }

            references = new ManifestReferences(blobDigests, children);
        }

        _known[record.Digest] = references;
        return references;
    }

    private async ValueTask<byte[]?> ReadBytesAsync(Digest digest, CancellationToken cancellationToken)
    {
        var content = await blobs.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        await using (content.ConfigureAwait(false))
        {
            return content.Length > maxManifestBytes ? null : await content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
