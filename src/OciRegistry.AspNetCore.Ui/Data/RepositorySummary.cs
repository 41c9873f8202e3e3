using OciRegistry.Core.References;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>One row of the repository list.</summary>
/// <param name="Name">The repository.</param>
/// <param name="Tags">How many tags it has.</param>
/// <param name="Manifests">How many manifests are linked to it (images, indexes, referrers).</param>
/// <param name="Size">The bytes of the blobs linked to it, each once however many of its manifests share it.</param>
/// <param name="BlobsOfUnknownSize">Its linked blobs whose size the store does not know (linked before sizes were kept); counted 0 in <paramref name="Size"/>.</param>
/// <param name="LargestPull">The most bytes one pull of it downloads (its largest image or index with everything it references).</param>
/// <param name="LastPush">When a manifest or tag was last pushed; null when unknown.</param>
public sealed record RepositorySummary(RepositoryName Name, int Tags, int Manifests, long Size, int BlobsOfUnknownSize, long LargestPull, DateTimeOffset? LastPush);

/// <summary>A page of the repository list: the rows and the keyset cursor of the next page (null on the last).</summary>
public sealed record RepositoryPage(IReadOnlyList<RepositorySummary> Items, string? Next);
