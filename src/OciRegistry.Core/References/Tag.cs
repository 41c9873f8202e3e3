using System.Diagnostics.CodeAnalysis;

namespace OciRegistry.Core.References;

/// <summary>Validates tags with the distribution-spec grammar <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
public static class Tag
{
    /// <summary>The longest tag accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>True when <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValid([NotNullWhen(true)] string? tag) => tag is not null && IsValid(tag.AsSpan());

    /// <summary>True when <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValid(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > MaxLength || !(char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_'))
        {
            return false;
        }

        foreach (var c in tag[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
