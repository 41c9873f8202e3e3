using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server as an operator runs it: its own process (<c>dotnet OciRegistry.Server.dll ...</c>, or the native build)
/// with its own environment and working folder, its output and exit code read back. The ASPNETCORE_* listening
/// variables of the test process are not passed on, so each test says where the server listens.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    // A guard against a hung process (for example a command that starts a server instead of printing help), not a
    // timing assertion: every command under test finishes in well under a second on an idle machine.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Runs a command to its end.</summary>
    public static Task<CompletedRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(ServerProgram.Managed, workingDirectory, environment, args);

    /// <summary>Runs a command of <paramref name="program"/> to its end.</summary>
    public static async Task<CompletedRun> RunAsync(ServerProgram program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using var process = Start(program, workingDirectory, environment, args);
        await process.WaitForExitAsync();
        return new CompletedRun(process._process.ExitCode, process.Output, process.Error);
    }

    /// <summary>Starts <c>serve</c> (or whatever <paramref name="args"/> say) and waits until it logs where it listens.</summary>
    public static Task<ServerProcess> StartServingAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartServingAsync(ServerProgram.Managed, workingDirectory, environment, args);

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/> and waits until it logs where it listens.</summary>
    public static async Task<ServerProcess> StartServingAsync(ServerProgram program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = Start(program, workingDirectory, environment, args);
        var exited = process._process.WaitForExitAsync();
        var first = await Task.WhenAny(process._listening.Task, exited, Task.Delay(HangGuard));
        if (first != process._listening.Task)
        {
            await process.DisposeAsync();
            throw new InvalidOperationException($"The server did not start listening.\nstdout:\n{process.Output}\nstderr:\n{process.Error}");
        }

        return process;
    }

    /// <summary>The operating system's id of the process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Kills the process with SIGKILL, as a node failure or the OOM killer would: nothing of it runs afterwards.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>The addresses of the startup summary's "listening on" line.</summary>
    public IReadOnlyList<string> Addresses => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result.Split(", ") : [];

    /// <summary>Waits until the output has a line containing <paramref name="text"/> (log lines arrive one by one).</summary>
    public async Task WaitForOutputAsync(string text)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited without writing '{text}'.\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            await Task.Delay(50, guard.Token);
        }
    }

    private async Task WaitForExitAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The process did not exit.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        // The redirected streams may still hold the last lines.
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ServerProcess Start(ServerProgram program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo(program.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[.. program.Arguments, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "ASPNETCORE_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new ServerProcess(new Process { StartInfo = start });
        process._process.OutputDataReceived += (_, line) => process.Append(process._output, line.Data, watch: true);
        process._process.ErrorDataReceived += (_, line) => process.Append(process._error, line.Data, watch: false);
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    private void Append(StringBuilder text, string? line, bool watch)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }

        if (watch && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"listening on (.+)$")]
    private static partial Regex ListeningLine();
}

/// <summary>What a command that ran to its end left: exit code, standard output and standard error.</summary>
internal sealed record CompletedRun(int ExitCode, string Output, string Error);

/// <summary>How the server is started: the test's own build through <c>dotnet</c>, or a published executable.</summary>
internal sealed record ServerProgram(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The build next to the tests: <c>dotnet OciRegistry.Server.dll</c>.</summary>
    public static ServerProgram Managed { get; } = new("dotnet", [Path.Combine(AppContext.BaseDirectory, "OciRegistry.Server.dll")]);

    /// <summary>A self-contained executable, such as the Native AOT build.</summary>
    public static ServerProgram Executable(string path) => new(path, []);
}
