using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Maintenance;

/// <summary>What one manifest points at: blobs (config and layers) and child manifests (index entries).</summary>
/// <param name="Blobs">The config and layer digests.</param>
/// <param name="Children">The child manifest digests.</param>
internal sealed record ManifestReferences(IReadOnlyList<Digest> Blobs, IReadOnlyList<Digest> Children);
