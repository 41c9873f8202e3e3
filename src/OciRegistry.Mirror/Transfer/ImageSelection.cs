using System.IO.Enumeration;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Which images a transfer takes: patterns of the form <c>repository[:tag]</c> or <c>repository@digest</c>, where
/// <c>*</c> and <c>?</c> match any characters (<c>team/*:1.*</c>); no tag means every tag.
/// </summary>
internal static class ImageSelection
{
    /// <summary>The (repository, reference) pairs of <paramref name="source"/> the patterns select, in order, without repeats.</summary>
    public static async Task<IReadOnlyList<(string Repository, string Reference)>> ResolveAsync(IImageSource source, IEnumerable<string> patterns, CancellationToken cancellationToken)
    {
        var selected = new List<(string, string)>();
        List<string>? repositories = null;
        foreach (var pattern in patterns)
        {
            var (repositoryPattern, referencePattern) = Split(pattern);
            IEnumerable<string> names = [repositoryPattern];
            if (HasWildcard(repositoryPattern))
            {
                repositories ??= await ListAsync(source, cancellationToken).ConfigureAwait(false);
                names = repositories.Where(r => Matches(repositoryPattern, r));
            }

            foreach (var repository in names)
            {
                if (referencePattern.Contains(':', StringComparison.Ordinal) || !HasWildcard(referencePattern))
                {
                    selected.Add((repository, referencePattern));
                    continue;
                }

                foreach (var tag in await source.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false))
                {
                    if (Matches(referencePattern, tag))
                    {
                        selected.Add((repository, tag));
                    }
                }
            }
        }

        return selected.Distinct().ToList();
    }

    private static (string Repository, string Reference) Split(string pattern)
    {
        var at = pattern.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return (pattern[..at], pattern[(at + 1)..]);
        }

        var colon = pattern.LastIndexOf(':');
        return colon > pattern.LastIndexOf('/') && colon > 0 ? (pattern[..colon], pattern[(colon + 1)..]) : (pattern, "*");
    }

    private static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    private static bool Matches(string pattern, string value) => FileSystemName.MatchesSimpleExpression(pattern, value, ignoreCase: false);

    private static async Task<List<string>> ListAsync(IImageSource source, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var name in source.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(name);
        }

        return names;
    }
}
