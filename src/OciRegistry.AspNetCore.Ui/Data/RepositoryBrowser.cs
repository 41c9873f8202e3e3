using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// The repository and tag lists, from the metadata store alone: names come a page at a time with the store's
/// start-after cursor, and each row from the repository's tags, manifest records and blob links (blob sizes are the
/// blob store's stat, never a read).
/// </summary>
internal sealed class RepositoryBrowser(IMetadataStore metadata, IBlobStore blobs, UiAccess access, IOptions<OciRegistryUiOptions> options)
{
    // How many names one request may look at for a page of visible ones: a caller who may pull few of 100,000
    // repositories gets a shorter page and a "next" link instead of a request that scans them all.
    private const int ScanBudgetPerRow = 20;

    /// <summary>
    /// The repositories the caller may pull, after <paramref name="after"/>, whose names start with
    /// <paramref name="search"/> (names are in lexical order, so a prefix is one contiguous run of the keyset).
    /// </summary>
    public async Task<RepositoryPage> ListAsync(HttpContext context, string? search, string? after, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var names = new List<string>(pageSize);
        var cursor = after;
        if (!string.IsNullOrEmpty(search) && (after is null || string.CompareOrdinal(after, search) < 0))
        {
            // Start-after is exclusive: begin after the prefix itself, and look at the exact name separately.
            cursor = search;
            if (await metadata.RepositoryExistsAsync(search, cancellationToken).ConfigureAwait(false) && await access.CanPullAsync(context, search).ConfigureAwait(false))
            {
                names.Add(search);
            }
        }

        var budget = pageSize * ScanBudgetPerRow;
        var exhausted = false;
        while (names.Count < pageSize && budget > 0 && !exhausted)
        {
            var batch = await metadata.ListRepositoriesAsync(cursor, Math.Min(budget, pageSize * 2), cancellationToken).ConfigureAwait(false);
            exhausted = batch.Count == 0;
            foreach (var name in batch)
            {
                if (!string.IsNullOrEmpty(search) && !name.StartsWith(search, StringComparison.Ordinal))
                {
                    exhausted = true;
                    break;
                }

                cursor = name;
                budget--;
                if (await access.CanPullAsync(context, name).ConfigureAwait(false))
                {
                    names.Add(name);
                    if (names.Count == pageSize)
                    {
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

    /// <summary>Counts, size and last push of one repository.</summary>
    public async Task<RepositorySummary> SummarizeAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = await metadata.GetTagsAsync(repository, cancellationToken).ConfigureAwait(false);
        var manifests = await metadata.ListManifestsAsync(repository, cancellationToken).ConfigureAwait(false);
        var links = await metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false);
        long size = 0;
        foreach (var link in links)
        {
            size += await blobs.GetSizeAsync(link.Digest, cancellationToken).ConfigureAwait(false) ?? 0;
        }

        DateTimeOffset? lastPush = null;
        foreach (var pushed in tags.Select(t => (DateTimeOffset?)t.UpdatedAt).Concat(manifests.Select(m => m.PushedAt)))
        {
            if (pushed > lastPush || lastPush is null)
            {
                lastPush = pushed;
            }
        }

        return new RepositorySummary(repository, tags.Count, manifests.Count, size, lastPush);
    }

    /// <summary>A page of the repository's tags whose names contain <paramref name="filter"/>, in <paramref name="order"/>.</summary>
    public async Task<TagPage> ListTagsAsync(string repository, string? filter, TagOrder order, int pageNumber, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        var tags = await metadata.GetTagsAsync(repository, cancellationToken).ConfigureAwait(false);
        var matching = string.IsNullOrEmpty(filter) ? tags : tags.Where(t => t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        var ordered = order switch
        {
            TagOrder.Newest => matching.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Name, StringComparer.Ordinal),
            TagOrder.Oldest => matching.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Name, StringComparer.Ordinal),
            _ => matching.OrderBy(t => t.Name, StringComparer.Ordinal),
        };
        var pageCount = Math.Max(1, (matching.Count + pageSize - 1) / pageSize);
        pageNumber = Math.Clamp(pageNumber, 1, pageCount);
        var rows = new List<TagRow>(pageSize);
        foreach (var tag in ordered.Skip((pageNumber - 1) * pageSize).Take(pageSize))
        {
            var record = await metadata.GetManifestAsync(repository, tag.Digest, cancellationToken).ConfigureAwait(false);
            rows.Add(new TagRow(
                tag.Name,
                tag.Digest,
                record?.MediaType ?? "",
                record?.Platforms ?? [],
                record is { ReferencedSize: { } referenced } ? record.Size + referenced : null,
                tag.UpdatedAt));
        }

        return new TagPage(rows, matching.Count, pageNumber, pageCount);
    }
}
