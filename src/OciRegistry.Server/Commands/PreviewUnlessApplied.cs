using System.CommandLine;

namespace OciRegistry.Server.Commands;

/// <summary>
/// The shape of a command that deletes only when asked: a preview unless <c>--apply</c> is given, so neither a typo
/// nor <c>--help</c> can delete anything; configuration keys as options (<see cref="ConfigurationArguments"/>).
/// </summary>
internal static class PreviewUnlessApplied
{
    /// <summary>Runs the command with its configuration arguments; <paramref name="preview"/> unless <c>--apply</c> was given.</summary>
    public delegate Task<int> Action(string[] settings, bool preview, InvocationConfiguration console, CancellationToken cancellationToken);

    public static Command Create(string name, string description, string applyDescription, Action action)
    {
        var apply = new Option<bool>("--apply") { Description = applyDescription };
        var command = new Command(name, description + Environment.NewLine + ConfigurationArguments.HelpText)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Add(apply);
        command.SetAction((parsed, cancellationToken) =>
            action(ConfigurationArguments.Of(parsed), !parsed.GetValue(apply), parsed.InvocationConfiguration, cancellationToken));
        return command;
    }
}
