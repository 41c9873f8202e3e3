using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Server;

/// <summary><c>oci-registry sync --upstream &lt;url&gt; --image &lt;pattern&gt;... [--prefix name]</c>: fills the registry from an upstream.</summary>
internal static class SyncCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = TransferCommandLine.Parse(args, new HashSet<string> { "--upstream", "--username", "--password", "--prefix", "--image", "--insecure" });
        if (!Uri.TryCreate(command.Single("--upstream"), UriKind.Absolute, out var url) || command.All("--image").Count == 0)
        {
            await error.WriteLineAsync("sync needs --upstream <url> and at least one --image <repository[:tag]>.").ConfigureAwait(false);
            return 2;
        }

        var upstream = new UpstreamOptions
        {
            Name = command.Single("--prefix") ?? "upstream",
            Url = url,
            Username = command.Single("--username"),
            Password = command.Single("--password"),
            InsecureSkipTlsVerify = command.Single("--insecure") == "true",
        };
        return await command.RunAsync(output, transfer => transfer.SyncAsync(upstream, command.All("--image"), command.Single("--prefix"), TransferCommandLine.Progress(output))).ConfigureAwait(false);
    }
}
