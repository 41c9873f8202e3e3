using System.Diagnostics;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Runs a real client (skopeo, ctr, dotnet) to completion, capturing both streams, with a timeout.</summary>
internal static class ExternalCommand
{
    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/>; <paramref name="environment"/> entries set
    /// (or, when null, remove) variables of the child. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var commandLine = $"{Path.GetFileName(executable)} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {timeout}.\n{await standardError}");
        }

        return new CommandResult(commandLine, process.ExitCode, await standardOutput, await standardError);
    }
}
