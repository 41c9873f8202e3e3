using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Tests.Digests;

public sealed class DigestTests
{
    private const string EmptySha256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string AbcSha256Hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string EmptySha512Hex =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    public static TheoryData<string, DigestAlgorithm, string> ValidDigests => new()
    {
        { "sha256:" + EmptySha256Hex, DigestAlgorithm.Sha256, EmptySha256Hex },
        { "sha256:" + AbcSha256Hex, DigestAlgorithm.Sha256, AbcSha256Hex },
        { "sha256:" + new string('0', 64), DigestAlgorithm.Sha256, new string('0', 64) },
        { "sha512:" + EmptySha512Hex, DigestAlgorithm.Sha512, EmptySha512Hex },
        { "sha512:" + new string('f', 128), DigestAlgorithm.Sha512, new string('f', 128) },
    };

    public static TheoryData<string> MalformedDigests => new()
    {
        // Uppercase hex: the registered algorithms require lowercase.
        "sha256:" + EmptySha256Hex.ToUpperInvariant(),
        "sha256:E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha512:" + EmptySha512Hex.ToUpperInvariant(),
        // Wrong length for the algorithm.
        "sha256:" + EmptySha256Hex[..63],
        "sha256:" + EmptySha256Hex + "0",
        "sha256:" + EmptySha512Hex,
        "sha512:" + EmptySha256Hex,
        "sha512:" + EmptySha512Hex[..127],
        // Not hex, though inside the encoded grammar.
        "sha256:" + new string('g', 64),
        "sha256:" + new string('=', 64),
        "sha256:" + new string('_', 64),
        // Missing colon or empty parts.
        "sha256" + EmptySha256Hex,
        EmptySha256Hex,
        "sha256:",
        ":" + EmptySha256Hex,
        ":",
        "",
        // Encoded part outside [a-zA-Z0-9=_-].
        "sha256:" + EmptySha256Hex[..63] + "!",
        "sha256:" + EmptySha256Hex[..32] + ":" + EmptySha256Hex[..31],
        "sha256: " + EmptySha256Hex,
        "sha256:" + EmptySha256Hex + " ",
        "sha256:" + EmptySha256Hex + "\n",
        // Non-ASCII.
        "sha256:" + EmptySha256Hex[..63] + "é",
        "shä256:" + EmptySha256Hex,
        "sha256:" + EmptySha256Hex[..63] + "\uFF10",
        // Algorithm outside algorithm-component (algorithm-separator algorithm-component)*.
        "SHA256:" + EmptySha256Hex,
        "Sha256:" + EmptySha256Hex,
        "sha256+:" + EmptySha256Hex,
        "+sha256:" + EmptySha256Hex,
        "sha__256:" + EmptySha256Hex,
        "sha+-256:" + EmptySha256Hex,
        "sha 256:" + EmptySha256Hex,
        "sha/256:" + EmptySha256Hex,
        "-:" + EmptySha256Hex,
        // Longer than any digest the registry accepts.
        "sha256:" + new string('0', 300),
    };

    public static TheoryData<string> UnsupportedDigests => new()
    {
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha384:" + new string('a', 96),
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TUBDTHcRHSavM8j2XADwL",
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "blake3:" + EmptySha256Hex,
        "sha256.v2:" + EmptySha256Hex,
        "a-b_c.d+e:=",
        "md5:UPPER-case_and=padding",
    };

    [Theory]
    [MemberData(nameof(ValidDigests))]
    public void Parses_a_registered_digest(string text, DigestAlgorithm algorithm, string encoded)
    {
        Assert.Equal(DigestParseStatus.Valid, Digest.TryParse(text.AsSpan(), out var digest));

        Assert.False(digest.IsEmpty);
        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(encoded, digest.EncodedString);
        Assert.Equal(encoded, digest.Encoded.ToString());
        Assert.Equal(text, digest.ToString());
        Assert.Equal(digest, Digest.Parse(text));
    }

    [Theory]
    [MemberData(nameof(MalformedDigests))]
    public void Refuses_text_outside_the_digest_grammar_as_malformed(string text)
    {
        Assert.Equal(DigestParseStatus.Malformed, Digest.TryParse(text.AsSpan(), out var digest));
        Assert.True(digest.IsEmpty);
        Assert.Equal(DigestParseStatus.Malformed, Digest.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    [Theory]
    [MemberData(nameof(UnsupportedDigests))]
    public void Refuses_a_well_formed_digest_of_an_unregistered_algorithm_as_unsupported(string text)
    {
        Assert.Equal(DigestParseStatus.UnsupportedAlgorithm, Digest.TryParse(text.AsSpan(), out var digest));
        Assert.True(digest.IsEmpty);
        Assert.Equal(DigestParseStatus.UnsupportedAlgorithm, Digest.TryParse(Encoding.UTF8.GetBytes(text), out _));
        var error = Assert.Throws<FormatException>(() => Digest.Parse(text));
        Assert.Contains("Unsupported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_utf8_bytes_above_ascii_even_when_they_would_decode_to_nothing_suspicious()
    {
        var bytes = Encoding.ASCII.GetBytes("sha256:" + EmptySha256Hex);
        bytes[^1] = 0xB5;

        Assert.Equal(DigestParseStatus.Malformed, Digest.TryParse(bytes, out var digest));
        Assert.True(digest.IsEmpty);
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(DigestArbitraries)])]
    public bool Utf8_overload_agrees_with_the_char_overload(DigestLikeText candidate)
    {
        var charStatus = Digest.TryParse(candidate.Value.AsSpan(), out var fromChars);
        var byteStatus = Digest.TryParse(Encoding.UTF8.GetBytes(candidate.Value), out var fromBytes);
        return charStatus == byteStatus && fromChars == fromBytes;
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(DigestArbitraries)])]
    public bool Formatting_a_hash_and_parsing_it_back_gives_the_same_digest(HashBytes hash)
    {
        var digest = Digest.FromHash(hash.Algorithm, hash.Bytes);
        var text = digest.ToString();

        return Digest.TryParse(text.AsSpan(), out var parsed) == DigestParseStatus.Valid
            && parsed == digest
            && parsed.Algorithm == hash.Algorithm
            && Convert.FromHexString(parsed.Encoded).AsSpan().SequenceEqual(hash.Bytes)
            && text.Length == hash.Algorithm.Name().Length + 1 + hash.Algorithm.EncodedLength();
    }

    [Property(MaxTest = 1000)]
    public void Parsing_never_throws_on_arbitrary_text(NonNull<string> text)
    {
        var status = Digest.TryParse(text.Get.AsSpan(), out var digest);
        Assert.Equal(status == DigestParseStatus.Valid, !digest.IsEmpty);
    }

    [Property(MaxTest = 1000)]
    public void Parsing_never_throws_on_arbitrary_bytes(NonNull<byte[]> bytes)
    {
        var status = Digest.TryParse(bytes.Get, out var digest);
        Assert.Equal(status == DigestParseStatus.Valid, !digest.IsEmpty);
    }

    [Fact]
    public void Parsing_never_throws_on_very_long_input()
    {
        var text = "sha256:" + new string('a', 100_000);

        Assert.Equal(DigestParseStatus.Malformed, Digest.TryParse(text.AsSpan(), out _));
        Assert.Equal(DigestParseStatus.Malformed, Digest.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Equal_text_gives_equal_digests_with_equal_hash_codes()
    {
        var a = Digest.Parse("sha256:" + AbcSha256Hex);
        var b = Digest.Parse(string.Concat("sha256:", AbcSha256Hex.AsSpan()));

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
        Assert.True(a <= b && a >= b);
    }

    [Fact]
    public void Different_digests_are_not_equal()
    {
        var abc = Digest.Parse("sha256:" + AbcSha256Hex);
        var empty = Digest.Parse("sha256:" + EmptySha256Hex);
        var empty512 = Digest.Parse("sha512:" + EmptySha512Hex);

        Assert.True(abc != empty);
        Assert.False(abc == empty);
        Assert.NotEqual(empty, empty512);
        Assert.False(abc.Equals((object)("sha256:" + AbcSha256Hex)));
        Assert.False(abc.Equals(null));
        Assert.NotEqual(default, abc);
    }

    [Fact]
    public void Digests_order_by_their_text_ordinally()
    {
        var low = Digest.Parse("sha256:" + new string('0', 64));
        var high = Digest.Parse("sha256:" + new string('f', 64));
        var sha512 = Digest.Parse("sha512:" + new string('0', 128));

        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= high);
        Assert.False(low >= high);
        Assert.True(high < sha512);
        Assert.True(default(Digest) < low);
        Assert.Equal([default, low, high, sha512], new[] { sha512, high, default, low }.Order());
    }

    [Fact]
    public void From_hash_formats_lowercase_hex_after_the_algorithm_name()
    {
        var sha256 = Digest.FromHash(DigestAlgorithm.Sha256, System.Security.Cryptography.SHA256.HashData("abc"u8));
        var sha512 = Digest.FromHash(DigestAlgorithm.Sha512, System.Security.Cryptography.SHA512.HashData(ReadOnlySpan<byte>.Empty));

        Assert.Equal("sha256:" + AbcSha256Hex, sha256.ToString());
        Assert.Equal(DigestAlgorithm.Sha256, sha256.Algorithm);
        Assert.Equal("sha512:" + EmptySha512Hex, sha512.ToString());
        Assert.Equal(DigestAlgorithm.Sha512, sha512.Algorithm);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256, 0)]
    [InlineData(DigestAlgorithm.Sha256, 31)]
    [InlineData(DigestAlgorithm.Sha256, 64)]
    [InlineData(DigestAlgorithm.Sha512, 32)]
    [InlineData(DigestAlgorithm.Sha512, 65)]
    public void From_hash_refuses_a_hash_of_the_wrong_size(DigestAlgorithm algorithm, int size)
    {
        var error = Assert.Throws<ArgumentException>(() => Digest.FromHash(algorithm, new byte[size]));
        Assert.Equal("hash", error.ParamName);
    }

    [Fact]
    public void From_hash_refuses_an_undefined_algorithm()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Digest.FromHash((DigestAlgorithm)0, new byte[32]));
    }

    [Fact]
    public void Default_digest_is_empty_and_formats_as_nothing()
    {
        var digest = default(Digest);

        Assert.True(digest.IsEmpty);
        Assert.Equal(string.Empty, digest.ToString());
        Assert.Equal(string.Empty, digest.EncodedString);
        Assert.True(digest.Encoded.IsEmpty);
        Assert.Equal(default, digest);
        Assert.Equal(0, digest.GetHashCode());
        Assert.True(digest.TryFormat(Span<char>.Empty, out var written, default, null));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Formats_into_a_span_only_when_it_fits()
    {
        var digest = Digest.Parse("sha256:" + AbcSha256Hex);
        var exact = new char[71];
        var tooSmall = new char[70];

        Assert.True(digest.TryFormat(exact, out var written, default, null));
        Assert.Equal(71, written);
        Assert.Equal(digest.ToString(), new string(exact));
        Assert.False(digest.TryFormat(tooSmall, out written, default, null));
        Assert.Equal(0, written);
        Assert.Equal(digest.ToString(), $"{digest}");
        Assert.Equal(digest.ToString(), digest.ToString("G", null));
    }

    [Fact]
    public void Writes_its_text_as_utf8()
    {
        var digest = Digest.Parse("sha256:" + AbcSha256Hex);
        var buffer = new byte[100];

        var written = digest.WriteUtf8(buffer);

        Assert.Equal(71, written);
        Assert.Equal(Encoding.UTF8.GetBytes(digest.ToString()), buffer[..written]);
    }
}

/// <summary>Text that looks like a digest often enough to reach every branch of the parser.</summary>
public sealed record DigestLikeText(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A hash of the right size for its algorithm.</summary>
public sealed record HashBytes(DigestAlgorithm Algorithm, byte[] Bytes)
{
    public override string ToString() => $"{Algorithm}:{Convert.ToHexString(Bytes)}";
}

public static class DigestArbitraries
{
    private static readonly string[] Prefixes = ["sha256:", "sha512:", "md5:", "SHA256:", "sha256", ":", "", "sha+256:", "shä256:"];
    private static readonly char[] Alphabet = ['0', '9', 'a', 'f', 'g', 'A', 'F', '=', '_', '-', ':', ' ', 'é', '\n'];

    public static Arbitrary<DigestLikeText> DigestLikeText()
    {
        var hexChar = Gen.Elements("0123456789abcdef".ToCharArray());
        var anyChar = Gen.Elements(Alphabet);
        var body =
            from length in Gen.Elements(0, 1, 32, 63, 64, 65, 96, 127, 128, 129, 300)
            from hex in Gen.ArrayOf(hexChar, length)
            from mutate in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from position in Gen.Choose(0, Math.Max(0, length - 1))
            from replacement in anyChar
            select Mutate(hex, mutate, position, replacement);
        var gen =
            from prefix in Gen.Elements(Prefixes)
            from encoded in body
            select new DigestLikeText(prefix + encoded);
        return gen.ToArbitrary();
    }

    public static Arbitrary<HashBytes> HashBytes()
    {
        var gen =
            from algorithm in Gen.Elements(DigestAlgorithm.Sha256, DigestAlgorithm.Sha512)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), algorithm.HashSizeInBytes())
            select new HashBytes(algorithm, bytes);
        return gen.ToArbitrary();
    }

    private static string Mutate(char[] hex, bool mutate, int position, char replacement)
    {
        if (mutate && hex.Length > 0)
        {
            hex[position] = replacement;
        }

        return new string(hex);
    }
}
