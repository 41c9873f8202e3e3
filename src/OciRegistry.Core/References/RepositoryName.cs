using System.Diagnostics.CodeAnalysis;

namespace OciRegistry.Core.References;

/// <summary>
/// Validates repository names with the distribution-spec grammar:
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>, at most <see cref="MaxLength"/> characters.
/// </summary>
/// <remarks>A name that passes can never be a path outside a store's root: it has no dots-only component, no backslash, no leading slash.</remarks>
public static class RepositoryName
{
    /// <summary>The longest name accepted (the limit CNCF Distribution and most clients use).</summary>
    public const int MaxLength = 255;

    /// <summary>True when <paramref name="name"/> is a valid repository name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => name is not null && IsValid(name.AsSpan());

    /// <summary>True when <paramref name="name"/> is a valid repository name.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var component in name.Split('/'))
        {
            if (!IsValidComponent(name[component]))
            {
                return false;
            }
        }

        return true;
    }

    // [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
    private static bool IsValidComponent(ReadOnlySpan<char> component)
    {
        if (component.IsEmpty || !IsAlphaNumeric(component[0]) || !IsAlphaNumeric(component[^1]))
        {
            return false;
        }

        var i = 0;
        while (i < component.Length)
        {
            if (IsAlphaNumeric(component[i]))
            {
                i++;
                continue;
            }

            var separatorStart = i;
            while (i < component.Length && !IsAlphaNumeric(component[i]))
            {
                i++;
            }

            if (!IsSeparator(component[separatorStart..i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSeparator(ReadOnlySpan<char> separator) =>
        separator is "." or "_" or "__" || (separator.Length > 0 && !separator.ContainsAnyExcept('-'));

    private static bool IsAlphaNumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
