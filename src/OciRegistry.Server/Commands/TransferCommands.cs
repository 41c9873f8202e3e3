using System.CommandLine;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>export</c>, <c>import</c> and <c>sync</c> (OciRegistry.Mirror) on the command line: their options declared here,
/// so help and the refusal of unknown options work as for every command, then handed to the commands' own runners
/// (<see cref="ExportCommand"/>, <see cref="ImportCommand"/>, <see cref="SyncCommand"/>) with the configuration keys.
/// </summary>
internal static class TransferCommands
{
    public static Command Export() => Create(
        "export",
        "Write images (every platform, every referrer) as an OCI image layout, a folder or a .tar.",
        ExportCommand.RunAsync,
        Single("--output", "The layout to write: a folder, or a file ending in .tar.", required: true),
        Many("--image", "An image pattern, repository[:tag] with * wildcards ('team/*:1.*'); repeatable."));

    public static Command Import() => Create(
        "import",
        "Load an OCI image layout (folder or .tar); digests preserved; run again to resume.",
        ImportCommand.RunAsync,
        Single("--input", "The layout to read: a folder or a .tar file.", required: true),
        Single("--repository", "The repository for images the layout does not name (default 'imported')."));

    public static Command Sync() => Create(
        "sync",
        "Copy images from an upstream registry into this one (under --prefix: the mirror's name for it).",
        SyncCommand.RunAsync,
        Single("--upstream", "The upstream registry's URL, e.g. https://registry-1.docker.io.", required: true),
        Many("--image", "An image to copy, repository[:tag]; repeatable."),
        Single("--prefix", "The repository prefix the images land under."),
        Single("--username", "The upstream user."),
        Single("--password", "The upstream password."),
        Single("--insecure", "true: do not verify the upstream's TLS certificate."));

    private static Option<string> Single(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, Required = true, AllowMultipleArgumentsPerToken = false };

    private static Command Create(
        string name,
        string description,
        Func<string[], TextWriter, TextWriter, Task<int>> run,
        params Option[] options)
    {
        var command = new Command(name, description + Environment.NewLine + ConfigurationArguments.HelpText)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var option in options)
        {
            command.Add(option);
        }

        command.SetAction(parsed =>
        {
            var args = new List<string>();
            foreach (var option in options)
            {
                var values = option is Option<string[]> many ? parsed.GetValue(many) ?? [] : parsed.GetValue((Option<string>)option) is { } one ? [one] : [];
                foreach (var value in values)
                {
                    args.Add(option.Name);
                    args.Add(value);
                }
            }

            args.AddRange(ConfigurationArguments.Of(parsed));
            return run([.. args], parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
        });
        return command;
    }
}
