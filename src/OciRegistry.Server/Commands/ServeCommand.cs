using System.CommandLine;
using OciRegistry.Server.Startup;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry serve</c>: runs the registry until stopped. Configuration mistakes are reported one line each
/// with exit code <see cref="ExitCodes.Usage"/> before anything listens (<see cref="RegistryCommandLine"/>); a started
/// server logs one summary.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var serve = new Command("serve", "Run the registry until stopped (Ctrl+C or SIGTERM). The default command.");
        Configure(serve);
        return serve;
    }

    /// <summary>Adds serve's options and action to <paramref name="command"/> (also the root command, so serve is the default).</summary>
    public static void Configure(Command command)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (default http://localhost:5000; also ASPNETCORE_URLS, " +
                "ASPNETCORE_HTTP_PORTS/HTTPS_PORTS or Kestrel:Endpoints).",
            HelpName = "url;url",
        };
        command.Add(urls);
        command.TreatUnmatchedTokensAsErrors = false;
        command.Description += Environment.NewLine + ConfigurationArguments.HelpText;
        command.SetAction((parsed, cancellationToken) =>
        {
            string[] settings = [.. ConfigurationArguments.Of(parsed), .. parsed.GetValue(urls) is { } given ? ["--urls", given] : Array.Empty<string>()];
            return RunAsync(settings, cancellationToken);
        });
    }

    private static async Task<int> RunAsync(string[] settings, CancellationToken cancellationToken)
    {
        var app = RegistryHost.Build(settings, RegistryHost.Purpose.Serve);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            StartupSummary.Log(app);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
