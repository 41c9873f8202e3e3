using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// Previews a delete the way collection will see it: from the repository's roots (its tags, or every manifest when
/// <see cref="GarbageCollectionOptions.DeleteUntaggedManifests"/> is off) follow index entries and referrers, once with
/// the tag or manifest and once without; what only the first reaches becomes collectable. A blob another repository
/// also links keeps its bytes (collection only removes a blob no repository links), so it is listed apart. Reads the
/// repository's manifests (small; cached by <see cref="ManifestOperations"/>), never a layer.
/// </summary>
internal sealed class DeletePreviewer(
    IMetadataStore metadata,
    IBlobStore blobs,
    ManifestOperations manifestOperations,
    IOptions<GarbageCollectionOptions> gcOptions,
    IOptions<RegistryOptions> registryOptions)
{
    public async Task<DeletePreview> PreviewAsync(string repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var name = RepositoryName.Parse(repository);
        var manifests = (await metadata.ListManifestsAsync(name, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Digest);
        var tags = await metadata.GetTagsAsync(name, cancellationToken).ConfigureAwait(false);
        var untaggedKept = !gcOptions.Value.DeleteUntaggedManifests;
        var keptTags = tags.Where(t => reference.IsDigest ? t.Digest != reference.Digest : t.Name != reference.TagName);
        var removed = reference.IsDigest ? reference.Digest : (Digest?)null;
        var rootsBefore = untaggedKept ? manifests.Keys : tags.Select(t => t.Digest);
        var rootsAfter = untaggedKept ? manifests.Keys : keptTags.Select(t => t.Digest);

        var parsed = new Dictionary<Digest, Manifest?>();
        var before = await ReachAsync(repository, manifests, rootsBefore, removed: null, parsed, cancellationToken).ConfigureAwait(false);
        var after = await ReachAsync(repository, manifests, rootsAfter, removed, parsed, cancellationToken).ConfigureAwait(false);

        var lostManifests = before.Manifests.Except(after.Manifests).Order().ToList();
        var lostBlobs = new List<(Digest, long)>();
        foreach (var blob in before.Blobs.Except(after.Blobs).Except(lostManifests).Order())
        {
            lostBlobs.Add((blob, await blobs.GetSizeAsync(blob, cancellationToken).ConfigureAwait(false) ?? 0));
        }

        var elsewhere = await metadata.FindBlobsLinkedElsewhereAsync(name, [.. lostManifests, .. lostBlobs.Select(b => b.Item1)], cancellationToken).ConfigureAwait(false);
        return new DeletePreview(repository, reference.ToString(), lostManifests, lostBlobs, elsewhere, untaggedKept && !reference.IsDigest);
    }

    private async Task<(HashSet<Digest> Manifests, HashSet<Digest> Blobs)> ReachAsync(
        string repository,
        Dictionary<Digest, ManifestRecord> manifests,
        IEnumerable<Digest> roots,
        Digest? removed,
        Dictionary<Digest, Manifest?> parsed,
        CancellationToken cancellationToken)
    {
        var reached = new HashSet<Digest>();
        var usedBlobs = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots);
        while (pending.TryPop(out var digest))
        {
            if (digest == removed || !manifests.TryGetValue(digest, out var record) || !reached.Add(digest))
            {
                continue;
            }

            if (await ParseAsync(repository, record, parsed, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                foreach (var (descriptor, kind) in manifest.References)
                {
                    if (kind is ReferenceKind.Config or ReferenceKind.Layer)
                    {
                        usedBlobs.Add(descriptor.Digest);
                    }
                    else if (kind == ReferenceKind.Manifest)
                    {
                        pending.Push(descriptor.Digest);
                    }
                }
            }

            foreach (var referrer in manifests.Values.Where(m => m.Subject == digest))
            {
                pending.Push(referrer.Digest);
            }
        }

        return (reached, usedBlobs);
    }

    private async Task<Manifest?> ParseAsync(string repository, ManifestRecord record, Dictionary<Digest, Manifest?> parsed, CancellationToken cancellationToken)
    {
        if (parsed.TryGetValue(record.Digest, out var known))
        {
            return known;
        }

        var content = await manifestOperations.GetAsync(repository, record.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        var manifest = content.IsSuccess && ManifestParser.Parse(content.Value.Bytes, record.MediaType, registryOptions.Value.MaxManifestBytes) is { IsSuccess: true } result
            ? result.Value
            : null;
        parsed[record.Digest] = manifest;
        return manifest;
    }
}
