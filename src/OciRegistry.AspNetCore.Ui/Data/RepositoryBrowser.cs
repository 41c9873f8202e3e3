using OciRegistry.Core.References;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// The repository and tag lists, from the metadata store's keyset pages and aggregates alone: a page costs its rows
/// (and the names skipped for the caller's rights), never a walk of a repository's tags, manifests or links, and no
/// blob is opened or stat'ed.
/// </summary>
internal sealed class RepositoryBrowser(IMetadataStore metadata, UiAccess access, IOptions<OciRegistryUiOptions> options)
{
    // How many names one request may look at for a page of visible ones: a caller who may pull few of 100,000
    // repositories gets a shorter page and a "next" link instead of a request that scans them all.
    private const int ScanBudgetPerRow = 20;

    /// <summary>
    /// The repositories the caller may pull, after <paramref name="after"/>, whose names contain <paramref name="search"/>
    /// (the store filters as it walks its keyset).
    /// </summary>
    public async Task<RepositoryPage> ListAsync(HttpContext context, string? search, string? after, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var names = new List<RepositoryName>(pageSize);
        var cursor = after;
        var budget = pageSize * ScanBudgetPerRow;
        var exhausted = false;
        while (names.Count < pageSize && budget > 0 && !exhausted)
        {
            var limit = Math.Min(budget, pageSize * 2);
            var batch = string.IsNullOrEmpty(search)
                ? await metadata.ListRepositoriesAsync(cursor, limit, cancellationToken).ConfigureAwait(false)
                : await metadata.SearchRepositoriesAsync(search, cursor, limit, cancellationToken).ConfigureAwait(false);
            exhausted = batch.Count < limit;
            foreach (var name in batch)
            {
                cursor = name.Value;
                budget--;
                if (await access.CanPullAsync(context, name.Value).ConfigureAwait(false))
                {
                    names.Add(name);
                    if (names.Count == pageSize)
                    {
                        exhausted = exhausted && name == batch[^1];
                        break;
                    }
                }
            }
        }

        // One store call for the page's rows, not one per row (a round trip each on a database server).
        var statistics = await metadata.GetRepositoryStatisticsAsync(names, cancellationToken).ConfigureAwait(false);
        return new RepositoryPage([.. names.Select(name => Summarize(name, statistics[name]))], exhausted ? null : cursor);
    }

    /// <summary>Counts, total size, largest pull and last push of one repository, aggregated by the store.</summary>
    public async Task<RepositorySummary> SummarizeAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        Summarize(repository, await metadata.GetRepositoryStatisticsAsync(repository, cancellationToken).ConfigureAwait(false));

    private static RepositorySummary Summarize(RepositoryName repository, RepositoryStatistics statistics) =>
        new(repository, statistics.Tags, statistics.Manifests, statistics.Size, statistics.BlobsOfUnknownSize, statistics.LargestPull, statistics.LastPush);

    /// <summary>
    /// A keyset page of the repository's tags whose names contain <paramref name="filter"/>, in <paramref name="order"/>,
    /// after the cursor <paramref name="after"/> (from <see cref="TagPage.Next"/>), with how many tags match.
    /// </summary>
    public async Task<TagPage> ListTagsAsync(RepositoryName repository, string? filter, TagOrder order, string? after, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var query = new TagListQuery(filter, order, ParseCursor(after), pageSize + 1);
        var tags = await metadata.ListTagEntriesAsync(repository, query, cancellationToken).ConfigureAwait(false);
        var matched = await metadata.CountTagsAsync(repository, filter, cancellationToken).ConfigureAwait(false);
        var page = tags.Take(pageSize).ToList();
        var manifests = await metadata.GetManifestsAsync(repository, [.. page.Select(tag => tag.Digest)], cancellationToken).ConfigureAwait(false);
        var rows = page.ConvertAll(tag =>
        {
            var record = manifests.GetValueOrDefault(tag.Digest);
            return new TagRow(
                tag.Name,
                tag.Digest,
                record?.MediaType ?? "",
                record?.Platforms ?? [],
                record is { ReferencedSize: { } referenced } ? record.Size + referenced : null,
                tag.UpdatedAt);
        });

        var next = tags.Count > pageSize ? FormatCursor(tags[pageSize - 1]) : null;
        return new TagPage(rows, matched, next);
    }

    // A tag cursor in a URL: the time in UTC ticks (exact in every store) and the name; a tag name has no ':'.
    private static string FormatCursor(TagEntry tag) =>
        string.Create(CultureInfo.InvariantCulture, $"{tag.UpdatedAt.UtcTicks}:{tag.Name}");

    private static TagEntry? ParseCursor(string? cursor)
    {
        var colon = cursor?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && long.TryParse(cursor.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new TagEntry(cursor![(colon + 1)..], default, new DateTimeOffset(ticks, TimeSpan.Zero))
            : null;
    }
}
