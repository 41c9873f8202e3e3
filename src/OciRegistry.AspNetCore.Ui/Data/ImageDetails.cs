using OciRegistry.Core.Manifests;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>Everything the image page shows of one manifest.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Reference">The tag or digest it was opened by.</param>
/// <param name="Record">The manifest's metadata.</param>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="ManifestJson">The manifest's bytes, indented for reading.</param>
/// <param name="Children">An index's entries with the size each pulls.</param>
/// <param name="Config">An image's configuration; null for an index or an artifact without an image config.</param>
/// <param name="TotalSize">The manifest and everything it references, as declared.</param>
/// <param name="Referrers">Manifests whose subject is this one (signatures, SBOMs, attestations).</param>
/// <param name="Tags">The tags pointing at this manifest.</param>
public sealed record ImageDetails(
    string Repository,
    string Reference,
    ManifestRecord Record,
    Manifest Manifest,
    string ManifestJson,
    IReadOnlyList<IndexEntry> Children,
    ImageConfig? Config,
    long TotalSize,
    IReadOnlyList<Descriptor> Referrers,
    IReadOnlyList<string> Tags);

/// <summary>An entry of an index, with what pulling it downloads when its record knows.</summary>
/// <param name="Descriptor">The entry as the index declares it.</param>
/// <param name="TotalSize">The child manifest with its config and layers; null when unknown.</param>
public sealed record IndexEntry(Descriptor Descriptor, long? TotalSize);

/// <summary>What an image's config blob says about how it runs and how it was built.</summary>
public sealed record ImageConfig(
    string? Platform,
    DateTimeOffset? Created,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    string? WorkingDir,
    string? User,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<HistoryEntry> History);

/// <summary>One build step of the image's history.</summary>
public sealed record HistoryEntry(DateTimeOffset? Created, string? CreatedBy, string? Comment, bool EmptyLayer);
