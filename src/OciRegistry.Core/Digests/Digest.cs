using System.Text;

namespace OciRegistry.Core.Digests;

/// <summary>
/// A content digest, <c>algorithm:encoded</c>, validated once when parsed (OCI image-spec, descriptor.md#digests).
/// </summary>
/// <remarks>
/// The canonical text is kept as one string, allocated once at parse time; equality, hashing and formatting
/// afterwards allocate nothing. <c>default(Digest)</c> is not a valid digest; <see cref="IsEmpty"/> tells it apart.
/// </remarks>
public readonly struct Digest : IEquatable<Digest>, IComparable<Digest>, ISpanFormattable
{
    private readonly string? _value;

    private Digest(DigestAlgorithm algorithm, string value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    /// <summary>The hash algorithm.</summary>
    public DigestAlgorithm Algorithm { get; }

    /// <summary>The lowercase hex part after the colon.</summary>
    public ReadOnlySpan<char> Encoded => _value is null ? default : _value.AsSpan(_value.IndexOf(':') + 1);

    /// <summary>The lowercase hex part after the colon, as a string.</summary>
    public string EncodedString => Encoded.ToString();

    /// <summary>True for <c>default(Digest)</c>, which is not a digest of anything.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Parses a digest, throwing <see cref="FormatException"/> when it is not valid.</summary>
    public static Digest Parse(string text) =>
        TryParse(text.AsSpan(), out var digest) switch
        {
            DigestParseStatus.Valid => digest,
            DigestParseStatus.UnsupportedAlgorithm => throw new FormatException($"Unsupported digest algorithm in '{text}'."),
            _ => throw new FormatException($"'{text}' is not a valid digest."),
        };

    /// <summary>Parses a digest from characters, reporting why it was refused.</summary>
    public static DigestParseStatus TryParse(ReadOnlySpan<char> text, out Digest digest)
    {
        digest = default;
        var status = Validate(text, out var algorithm);
        if (status == DigestParseStatus.Valid)
        {
            digest = new Digest(algorithm, text.ToString());
        }

        return status;
    }

    /// <summary>Parses a digest from UTF-8 bytes (for example straight from a JSON manifest), reporting why it was refused.</summary>
    public static DigestParseStatus TryParse(ReadOnlySpan<byte> utf8, out Digest digest)
    {
        digest = default;
        if (utf8.Length > MaxLength)
        {
            return DigestParseStatus.Malformed;
        }

        Span<char> chars = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7F)
            {
                return DigestParseStatus.Malformed;
            }

            chars[i] = (char)utf8[i];
        }

        return TryParse(chars, out digest);
    }

    /// <summary>Makes a digest from a computed hash.</summary>
    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash)
    {
        if (hash.Length != algorithm.HashSizeInBytes())
        {
            throw new ArgumentException($"A {algorithm.Name()} hash is {algorithm.HashSizeInBytes()} bytes, not {hash.Length}.", nameof(hash));
        }

        var name = algorithm.Name();
        Span<char> chars = stackalloc char[name.Length + 1 + (hash.Length * 2)];
        name.AsSpan().CopyTo(chars);
        chars[name.Length] = ':';
        Convert.TryToHexStringLower(hash, chars[(name.Length + 1)..], out _);
        var value = new string(chars);
        return new Digest(algorithm, value);
    }

    /// <summary>The longest digest text accepted: sha512's name, the colon and 128 hex characters, with room to spare.</summary>
    internal const int MaxLength = 256;

    private static DigestParseStatus Validate(ReadOnlySpan<char> text, out DigestAlgorithm algorithm)
    {
        algorithm = default;
        if (text.Length > MaxLength)
        {
            return DigestParseStatus.Malformed;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return DigestParseStatus.Malformed;
        }

        var name = text[..colon];
        var encoded = text[(colon + 1)..];
        if (!IsAlgorithmGrammar(name) || !IsEncodedGrammar(encoded))
        {
            return DigestParseStatus.Malformed;
        }

        if (name.SequenceEqual("sha256"))
        {
            algorithm = DigestAlgorithm.Sha256;
        }
        else if (name.SequenceEqual("sha512"))
        {
            algorithm = DigestAlgorithm.Sha512;
        }
        else
        {
            return DigestParseStatus.UnsupportedAlgorithm;
        }

        return encoded.Length == algorithm.EncodedLength() && IsLowerHex(encoded)
            ? DigestParseStatus.Valid
            : DigestParseStatus.Malformed;
    }

    // algorithm ::= algorithm-component (algorithm-separator algorithm-component)*
    // algorithm-component ::= [a-z0-9]+ ; algorithm-separator ::= [+._-]
    private static bool IsAlgorithmGrammar(ReadOnlySpan<char> name)
    {
        var previousWasSeparator = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                previousWasSeparator = false;
            }
            else if (c is '+' or '.' or '_' or '-' && !previousWasSeparator)
            {
                previousWasSeparator = true;
            }
            else
            {
                return false;
            }
        }

        return !previousWasSeparator;
    }

    // encoded ::= [a-zA-Z0-9=_-]+
    private static bool IsEncodedGrammar(ReadOnlySpan<char> encoded)
    {
        foreach (var c in encoded)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('=' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> encoded)
    {
        foreach (var c in encoded)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(Digest other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Digest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <inheritdoc />
    public int CompareTo(Digest other) => string.CompareOrdinal(_value, other._value);

    /// <summary>The canonical text, <c>algorithm:encoded</c>.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var value = _value.AsSpan();
        if (value.TryCopyTo(destination))
        {
            charsWritten = value.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>Writes the canonical text as UTF-8.</summary>
    public int WriteUtf8(Span<byte> destination) => Encoding.ASCII.GetBytes(_value.AsSpan(), destination);

    /// <summary>Equality of digests.</summary>
    public static bool operator ==(Digest left, Digest right) => left.Equals(right);

    /// <summary>Inequality of digests.</summary>
    public static bool operator !=(Digest left, Digest right) => !left.Equals(right);

    /// <summary>Ordinal ordering of the canonical text.</summary>
    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal ordering of the canonical text.</summary>
    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal ordering of the canonical text.</summary>
    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal ordering of the canonical text.</summary>
    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;
}
