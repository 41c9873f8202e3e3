using OciRegistry.Core.References;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Operations;

/// <summary>Paginated listings: a repository's tags and the registry's catalog of repositories.</summary>
public sealed class ListingOperations
{
    private readonly IMetadataStore _metadata;
    private readonly IOptions<RegistryOptions> _options;

    /// <summary>Creates the operations over the given store.</summary>
    public ListingOperations(IMetadataStore metadata, IOptions<RegistryOptions> options)
    {
        _metadata = metadata;
        _options = options;
    }

    /// <summary>
    /// Up to <paramref name="n"/> tags (all up to <see cref="RegistryOptions.MaxPageSize"/> when null) after
    /// <paramref name="last"/>, in lexical order. NAME_UNKNOWN when the repository does not exist.
    /// </summary>
    public async ValueTask<RegistryResult<Page<string>>> ListTagsAsync(string repository, int? n, string? last, CancellationToken cancellationToken = default)
    {
        if (Check.Name(repository, out var name) is { } nameError)
        {
            return nameError;
        }

        if (!await _metadata.RepositoryExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return RegistryError.NameUnknown(repository);
        }

        var limit = PageSize(n);
        var tags = limit == 0 ? [] : await _metadata.ListTagsAsync(name, last, limit + 1, cancellationToken).ConfigureAwait(false);
        return ToPage(tags, limit);
    }

    /// <summary>Up to <paramref name="n"/> repository names after <paramref name="last"/>, in lexical order.</summary>
    public async ValueTask<RegistryResult<Page<string>>> ListRepositoriesAsync(int? n, string? last, CancellationToken cancellationToken = default)
    {
        var limit = PageSize(n);
        var names = limit == 0 ? [] : await _metadata.ListRepositoriesAsync(last, limit + 1, cancellationToken).ConfigureAwait(false);
        return ToPage([.. names.Select(name => name.Value)], limit);
    }

    private int PageSize(int? n) => Math.Clamp(n ?? int.MaxValue, 0, _options.Value.MaxPageSize);

    private static Page<string> ToPage(IReadOnlyList<string> items, int limit) =>
        items.Count > limit ? new Page<string>(items.Take(limit).ToList(), HasMore: true) : new Page<string>(items, HasMore: false);
}
