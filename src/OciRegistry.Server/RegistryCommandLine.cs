using System.CommandLine;
using OciRegistry.Server.Commands;
using OciRegistry.Server.Startup;

namespace OciRegistry.Server;

/// <summary>
/// The <c>oci-registry</c> commands on System.CommandLine. <c>serve</c> is also the root command's action, so a bare
/// run starts a registry. Nothing runs when the command line has a mistake: unknown options, stray arguments and
/// missing values are reported on the error output with exit code <see cref="ExitCodes.Usage"/>, as are the
/// configuration problems any command meets (<see cref="StartupFailure"/>).
/// </summary>
internal static class RegistryCommandLine
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create();
        var parsed = root.Parse(args);
        var mistakes = parsed.Errors.Select(e => e.Message).Concat(ConfigurationArguments.Mistakes(parsed)).ToList();
        if (mistakes.Count > 0)
        {
            foreach (var mistake in mistakes)
            {
                await error.WriteLineAsync($"error: {mistake}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"See '{CommandLine(parsed)} --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The generic host handles SIGINT/SIGTERM itself (graceful shutdown); System.CommandLine must not race it.
        // A failure that comes from the settings is one line each below, whichever command met it (a bad value found
        // when options are first read, an address in use, an unreachable database); any other failure is a bug and
        // stays unhandled, stack trace and all.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception failure) when (StartupFailure.Describe(failure) is { } problems)
        {
            StartupFailure.Write(error, problems);
            return ExitCodes.Usage;
        }
    }

    public const string ToolName = "oci-registry";

    private static RootCommand Create()
    {
        var root = new RootCommand("OciRegistry: an OCI Distribution v1.1 container registry. Without a command, runs 'serve'.");
        ServeCommand.Configure(root);
        root.Add(ServeCommand.Create());
        root.Add(GcCommand.Create());
        root.Add(EvictCommand.Create());
        root.Add(VerifyCommand.Create());
        root.Add(MigrateCommand.Create());
        root.Add(TransferCommands.Export());
        root.Add(TransferCommands.Import());
        root.Add(TransferCommands.Sync());
        return root;
    }

    private static string CommandLine(ParseResult parsed) =>
        parsed.CommandResult.Command is RootCommand ? ToolName : $"{ToolName} {parsed.CommandResult.Command.Name}";
}
