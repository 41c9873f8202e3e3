using OciRegistry.Core.References;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Operations;

/// <summary>What a <see cref="ManifestRecord"/> keeps of a parsed manifest so listings need not read it again.</summary>
internal static class ManifestSummary
{
    /// <summary>
    /// The bytes its descriptors add up to: config and layers for an image; for an index each child manifest with
    /// what that child references (from the child's record, which must already be linked).
    /// </summary>
    public static async ValueTask<long> ReferencedSizeAsync(IMetadataStore metadata, RepositoryName repository, Manifest manifest, CancellationToken cancellationToken)
    {
        var size = (manifest.Config?.Size ?? 0) + manifest.Layers.Sum(layer => layer.Size);
        foreach (var child in manifest.Manifests)
        {
            var record = await metadata.GetManifestAsync(repository, child.Digest, cancellationToken).ConfigureAwait(false);
            size += child.Size + (record?.ReferencedSize ?? 0);
        }

        return size;
    }

    /// <summary>An index's entries' platforms as <c>os/architecture[/variant]</c>; null for an image manifest.</summary>
    public static IReadOnlyList<string>? Platforms(Manifest manifest) => manifest.IsIndex
        ? [.. manifest.Manifests.Select(child => child.Platform?.ToString() ?? "unknown")]
        : null;
}
