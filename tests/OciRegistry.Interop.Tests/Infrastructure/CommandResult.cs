namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>How one run of an external command ended.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The command, exit code and both streams, for assertion messages.</summary>
    public string Describe() =>
        $"{CommandLine}\nexit code {ExitCode}\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}";
}
