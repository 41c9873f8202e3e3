namespace OciRegistry.Server;

/// <summary><c>oci-registry export --output &lt;file.tar|folder&gt; --image &lt;pattern&gt;...</c>: the registry's images as an OCI image layout.</summary>
internal static class ExportCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = TransferCommandLine.Parse(args, new HashSet<string> { "--output", "--image" });
        if (command.Single("--output") is not { } path || command.All("--image").Count == 0)
        {
            await error.WriteLineAsync("export needs --output <file.tar|folder> and at least one --image <repository[:tag]> pattern.").ConfigureAwait(false);
            return 2;
        }

        return await command.RunAsync(output, transfer => transfer.ExportAsync(command.All("--image"), path, TransferCommandLine.Progress(output))).ConfigureAwait(false);
    }
}
