using System.Diagnostics.CodeAnalysis;

namespace OciRegistry.Core.References;

/// <summary>
/// A repository name, validated once when parsed with the distribution-spec grammar:
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>, at most <see cref="MaxLength"/> characters.
/// </summary>
/// <remarks>
/// <para>The store contracts take this type, so a store never sees an unchecked name: a name that parsed can never be a
/// path outside a store's root (no dots-only component, no backslash, no leading slash) and needs no escaping in a key.</para>
/// <para>Equality and order are ordinal, as the spec's lexical order of the catalog. <c>default(RepositoryName)</c> is
/// not a name; <see cref="IsEmpty"/> tells it apart.</para>
/// </remarks>
public readonly struct RepositoryName : IEquatable<RepositoryName>, IComparable<RepositoryName>, ISpanFormattable
{
    /// <summary>The longest name accepted (the limit CNCF Distribution and most clients use).</summary>
    public const int MaxLength = 255;

    private readonly string? _value;

    private RepositoryName(string value) => _value = value;

    /// <summary>The name as text.</summary>
    /// <exception cref="InvalidOperationException">For <c>default(RepositoryName)</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(RepositoryName) is not a repository name.");

    /// <summary>True for <c>default(RepositoryName)</c>, which names nothing.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Parses a name, throwing <see cref="FormatException"/> when it is not valid.</summary>
    public static RepositoryName Parse(string text) =>
        TryParse(text, out var name) ? name : throw new FormatException($"'{text}' is not a valid repository name.");

    /// <summary>Parses a name; false when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RepositoryName name)
    {
        name = IsValid(text) ? new RepositoryName(text) : default;
        return !name.IsEmpty;
    }

    /// <summary>A name this assembly parsed before and kept as text (no second check).</summary>
    internal static RepositoryName FromParsed(string value) => new(value);

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

    /// <inheritdoc/>
    public bool Equals(RepositoryName other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RepositoryName other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Ordinal order, the catalog's.</summary>
    public int CompareTo(RepositoryName other) => string.CompareOrdinal(_value, other._value);

    /// <summary>The name, or an empty string for <c>default(RepositoryName)</c>.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var value = ToString();
        if (value.TryCopyTo(destination))
        {
            charsWritten = value.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>Equal names.</summary>
    public static bool operator ==(RepositoryName left, RepositoryName right) => left.Equals(right);

    /// <summary>Different names.</summary>
    public static bool operator !=(RepositoryName left, RepositoryName right) => !left.Equals(right);

    /// <summary>Ordinal order.</summary>
    public static bool operator <(RepositoryName left, RepositoryName right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >(RepositoryName left, RepositoryName right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator <=(RepositoryName left, RepositoryName right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >=(RepositoryName left, RepositoryName right) => left.CompareTo(right) >= 0;

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
