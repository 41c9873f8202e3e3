namespace OciRegistry.Server;

/// <summary><c>oci-registry import --input &lt;file.tar|folder&gt;</c>: loads an OCI image layout into the registry.</summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = TransferCommandLine.Parse(args, new HashSet<string> { "--input", "--repository" });
        if (command.Single("--input") is not { } path)
        {
            await error.WriteLineAsync("import needs --input <file.tar|folder>.").ConfigureAwait(false);
            return 2;
        }

        return await command.RunAsync(output, transfer => transfer.ImportAsync(path, command.Single("--repository") ?? "imported", TransferCommandLine.Progress(output))).ConfigureAwait(false);
    }
}
