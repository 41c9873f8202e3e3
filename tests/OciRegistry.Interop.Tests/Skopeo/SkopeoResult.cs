namespace OciRegistry.Interop.Tests.Skopeo;

/// <summary>How one skopeo run ended.</summary>
internal sealed record SkopeoResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The command, exit code and both streams, for assertion messages.</summary>
    public string Describe() =>
        $"{CommandLine}\nexit code {ExitCode}\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}";
}
