using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace OciRegistry.Core.Tests.References;

/// <summary>
/// The distribution-spec grammars as regular expressions, the reference the validators are checked against.
/// </summary>
/// <remarks>
/// Anchored with <c>\z</c> rather than the spec's <c>$</c>: in .NET <c>$</c> also matches before a final newline,
/// which would make the reference accept <c>"a\n"</c>.
/// </remarks>
public static partial class ReferenceGrammar
{
    public const int MaxRepositoryNameLength = 255;

    public static bool IsRepositoryName(string name) =>
        name.Length <= MaxRepositoryNameLength && RepositoryNamePattern().IsMatch(name);

    public static bool IsTag(string tag) => TagPattern().IsMatch(tag);

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex RepositoryNamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z")]
    private static partial Regex TagPattern();
}

/// <summary>A candidate repository name drawn from characters that sit on the grammar's edges.</summary>
public sealed record NameCandidate(string Value)
{
    public override string ToString() => $"\"{Value}\" ({Value.Length})";
}

/// <summary>A candidate tag drawn from characters that sit on the grammar's edges.</summary>
public sealed record TagCandidate(string Value)
{
    public override string ToString() => $"\"{Value}\" ({Value.Length})";
}

public static class ReferenceArbitraries
{
    private static readonly char[] NameCharacters = ['a', 'z', '0', '9', '.', '_', '-', '/'];
    private static readonly char[] NameOutsiders = ['A', 'Z', ':', '%', '\\', ' ', '\n', '\u00e9', '+', '@'];
    private static readonly string[] NameTokens = ["a", "b", "z9", "0", ".", "_", "__", "___", "-", "--", "/", "..", "A"];
    private static readonly char[] TagCharacters = ['a', 'Z', '0', '9', '.', '_', '-'];
    private static readonly char[] TagOutsiders = ['/', ':', '%', '+', '@', ' ', '\n', '\u00e9'];

    /// <summary>
    /// Mostly short names of single characters, where every separator rule is hit; some built of grammar-sized
    /// tokens; some near the 255-character limit.
    /// </summary>
    public static Gen<NameCandidate> NameCandidates
    {
        get
        {
            var character = Gen.Frequency((12, Gen.Elements(NameCharacters)), (1, Gen.Elements(NameOutsiders)));
            var shortName =
                from length in Gen.Choose(0, 10)
                from chars in Gen.ArrayOf(character, length)
                select new string(chars);
            var tokenName =
                from count in Gen.Choose(0, 8)
                from tokens in Gen.ArrayOf(Gen.Elements(NameTokens), count)
                select string.Concat(tokens);
            var longName =
                from length in Gen.Choose(250, 260)
                from tokens in Gen.ArrayOf(Gen.Frequency((40, Gen.Constant("a")), (1, Gen.Elements(NameTokens))), length)
                select string.Concat(tokens)[..length];
            return Gen.Frequency((5, shortName), (4, tokenName), (1, longName)).Select(name => new NameCandidate(name));
        }
    }

    /// <summary>Mostly short tags over characters inside and outside the grammar; some near the 128-character limit.</summary>
    public static Gen<TagCandidate> TagCandidates
    {
        get
        {
            var character = Gen.Frequency((12, Gen.Elements(TagCharacters)), (1, Gen.Elements(TagOutsiders)));
            var shortTag =
                from length in Gen.Choose(0, 10)
                from chars in Gen.ArrayOf(character, length)
                select new string(chars);
            var longTag =
                from length in Gen.Choose(120, 135)
                from first in character
                from rest in Gen.ArrayOf(Gen.Frequency((100, Gen.Constant('a')), (1, character)), length - 1)
                select first + new string(rest);
            return Gen.Frequency((4, shortTag), (1, longTag)).Select(tag => new TagCandidate(tag));
        }
    }

    public static Arbitrary<NameCandidate> NameCandidate() => NameCandidates.ToArbitrary();

    public static Arbitrary<TagCandidate> TagCandidate() => TagCandidates.ToArbitrary();
}
