using System.Text.RegularExpressions;

namespace OciRegistry.Core.Operations;

/// <summary>
/// A set of tag patterns (.NET regular expressions, each matched against the whole tag), as used by
/// <see cref="RegistryOptions.ImmutableTagPatterns"/> and retention rules.
/// </summary>
internal sealed class TagPatterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex[] _patterns;

    public TagPatterns(IEnumerable<string> patterns)
    {
        _patterns = patterns.Select(Compile).ToArray();
    }

    public bool IsEmpty => _patterns.Length == 0;

    public bool Matches(string tag) => _patterns.Any(p => p.IsMatch(tag));

    /// <summary>Compiles one pattern anchored at both ends; throws <see cref="ArgumentException"/> when it is not a valid expression.</summary>
    public static Regex Compile(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);

    /// <summary>The reason <paramref name="pattern"/> is not a valid expression, or <c>null</c> when it is.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            Compile(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
