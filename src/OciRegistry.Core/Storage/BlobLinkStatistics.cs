using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>The registry's blob links, aggregated by the store: how many repositories, and how many link each blob.</summary>
/// <param name="Repositories">Repositories in the registry.</param>
/// <param name="LinksPerBlob">Each linked blob with the number of repositories linking it.</param>
public sealed record BlobLinkStatistics(int Repositories, IReadOnlyDictionary<Digest, int> LinksPerBlob);
