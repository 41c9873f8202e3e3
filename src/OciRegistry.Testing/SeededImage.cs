using OciRegistry.Core.Digests;

namespace OciRegistry.Testing;

/// <summary>An image pushed by <see cref="RegistrySeeder.PushImageAsync"/>: what a test needs to pull it back or put it in an index.</summary>
/// <param name="Repository">The repository it was pushed to.</param>
/// <param name="ManifestDigest">The digest of the image manifest, as the registry answers it in <c>Docker-Content-Digest</c>.</param>
/// <param name="ManifestSize">The manifest's size in bytes.</param>
/// <param name="ConfigDigest">The digest of the config blob.</param>
/// <param name="LayerDigests">The digests of the layer blobs, in manifest order.</param>
/// <param name="Os">The config's <c>os</c>, or null when the config has none.</param>
/// <param name="Architecture">The config's <c>architecture</c>, or null when the config has none.</param>
public sealed record SeededImage(
    string Repository,
    Digest ManifestDigest,
    long ManifestSize,
    Digest ConfigDigest,
    IReadOnlyList<Digest> LayerDigests,
    string? Os,
    string? Architecture);
