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
        var names = new List<string>(pageSize);
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
                    names.Add(name.Value);
                    if (names.Count == pageSize)
                    {
                        exhausted = exhausted && name == batch[^1];
                        break;
                    }
                }
            }
        }

        var rows = new List<RepositorySummary>(names.Count);
        foreach (var name in names)
        {
            rows.Add(await SummarizeAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return new RepositoryPage(rows, exhausted ? null : cursor);
    }

    /// <summary>Counts, largest pull and last push of one repository, aggregated by the store.</summary>
    public async Task<RepositorySummary> SummarizeAsync(string repository, CancellationToken cancellationToken)
    {
        var statistics = await metadata.GetRepositoryStatisticsAsync(RepositoryName.Parse(repository), cancellationToken).ConfigureAwait(false);
        return new RepositorySummary(repository, statistics.Tags, statistics.Manifests, statistics.LargestPull, statistics.LastPush);
    }

    /// <summary>
    /// A keyset page of the repository's tags whose names contain <paramref name="filter"/>, in <paramref name="order"/>,
    /// after the cursor <paramref name="after"/> (from <see cref="TagPage.Next"/>), with how many tags match.
    /// </summary>
    public async Task<TagPage> ListTagsAsync(string repository, string? filter, TagOrder order, string? after, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var query = new TagListQuery(filter, order, ParseCursor(after), pageSize + 1);
        var name = RepositoryName.Parse(repository);
        var tags = await metadata.ListTagEntriesAsync(name, query, cancellationToken).ConfigureAwait(false);
        var matched = await metadata.CountTagsAsync(name, filter, cancellationToken).ConfigureAwait(false);
        var rows = new List<TagRow>(Math.Min(tags.Count, pageSize));
        foreach (var tag in tags.Take(pageSize))
        {
            var record = await metadata.GetManifestAsync(name, tag.Digest, cancellationToken).ConfigureAwait(false);
            rows.Add(new TagRow(
                tag.Name,
                tag.Digest,
                record?.MediaType ?? "",
                record?.Platforms ?? [],
                record is { ReferencedSize: { } referenced } ? record.Size + referenced : null,
                tag.UpdatedAt));
        }

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
