using System.CommandLine;

namespace OciRegistry.Server.Commands;

/// <summary>
/// Configuration keys given as options (<c>--OciRegistry:Auth:Mode basic</c> or <c>--OciRegistry:Auth:Mode=basic</c>),
/// which System.CommandLine leaves unmatched. Only tokens of that shape pass through to the host's configuration; any
/// other unmatched token (a misspelt option such as <c>--dry-rnu</c>, a stray argument) is a mistake, so a typo can
/// never be silently ignored by a destructive command.
/// </summary>
internal static class ConfigurationArguments
{
    public const string HelpText =
        "Any configuration key as an option: --OciRegistry:Storage:RootPath /var/lib/registry, --Logging:LogLevel:Default Warning " +
        "(the same keys as appsettings.json and OciRegistry__... environment variables).";

    /// <summary>What is wrong with the unmatched tokens; empty when they are all configuration keys with values.</summary>
    public static IEnumerable<string> Mistakes(ParseResult parsed) => Read(parsed.UnmatchedTokens).Mistakes;

    /// <summary>The configuration keys and values as arguments for the host's command-line configuration provider.</summary>
    public static string[] Of(ParseResult parsed) => Read(parsed.UnmatchedTokens).Arguments.ToArray();

    private static (List<string> Arguments, List<string> Mistakes) Read(IReadOnlyList<string> tokens)
    {
        var arguments = new List<string>();
        var mistakes = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!IsConfigurationKey(token))
            {
                mistakes.Add(token.StartsWith('-')
                    ? $"Unrecognized option '{token}'."
                    : $"Unrecognized argument '{token}'.");
                continue;
            }

            if (token.Contains('=', StringComparison.Ordinal))
            {
                arguments.Add(token);
            }
            else if (i + 1 < tokens.Count)
            {
                arguments.Add(token);
                arguments.Add(tokens[++i]);
            }
            else
            {
                mistakes.Add($"Configuration key '{token}' has no value; write '{token} <value>' or '{token}=<value>'.");
            }
        }

        return (arguments, mistakes);
    }

    // "--Section:Key": two dashes, then a configuration path with at least one section separator.
    private static bool IsConfigurationKey(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2 && token[2] != '-' && token[2] != ':'
        && token.AsSpan(2, (token.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? equals : token.Length) - 2).Contains(':');
}
