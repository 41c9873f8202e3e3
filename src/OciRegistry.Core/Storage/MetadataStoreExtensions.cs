using OciRegistry.Core.References;

namespace OciRegistry.Core.Storage;

/// <summary>Single-item forms of the <see cref="IMetadataStore"/> calls that take a page's worth of items.</summary>
public static class MetadataStoreExtensions
{
    /// <summary>Counts, total size, largest pull and last push of one repository (<see cref="RepositoryStatistics.Empty"/> when it does not exist).</summary>
    public static async ValueTask<RepositoryStatistics> GetRepositoryStatisticsAsync(this IMetadataStore store, RepositoryName repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var statistics = await store.GetRepositoryStatisticsAsync([repository], cancellationToken).ConfigureAwait(false);
        return statistics[repository];
    }
}
