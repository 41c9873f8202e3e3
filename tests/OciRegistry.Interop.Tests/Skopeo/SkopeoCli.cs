using OciRegistry.Interop.Tests.Infrastructure;

namespace OciRegistry.Interop.Tests.Skopeo;

/// <summary>
/// Runs the real <c>skopeo</c> binary against an in-process registry. Each instance has its own temporary HOME/XDG
/// folders and a permissive signature policy, so runs never read or write the user's container configuration.
/// </summary>
/// <remarks>
/// skopeo is required: when it cannot be found, <see cref="Locate"/> throws and every test fails with the reason
/// (CI installs it with <c>apt-get install -y skopeo</c>). Set <c>SKOPEO_PATH</c> to use a binary off the PATH.
/// </remarks>
internal sealed class SkopeoCli : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _executable;
    private readonly DirectoryInfo _home;
    private readonly string _policyPath;

    public SkopeoCli()
    {
        _executable = Locate();
        _home = Directory.CreateTempSubdirectory("skopeo-home-");
        _policyPath = Path.Combine(_home.FullName, "policy.json");
        File.WriteAllText(_policyPath, """{"default":[{"type":"insecureAcceptAnything"}]}""");
    }

    /// <summary>The full path of the skopeo binary: <c>SKOPEO_PATH</c>, else the first <c>skopeo</c> on the PATH.</summary>
    public static string Locate() =>
        Locate(Environment.GetEnvironmentVariable("SKOPEO_PATH"), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>
    /// The skopeo binary at <paramref name="configuredPath"/> when given, else the first <c>skopeo</c> in the folders
    /// of <paramref name="searchPath"/>; throws, saying how to install it, when there is none.
    /// </summary>
    public static string Locate(string? configuredPath, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new InvalidOperationException($"SKOPEO_PATH is '{configuredPath}', but no file is there.");
        }

        foreach (var folder in (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "skopeo");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "The interop tests need skopeo, which is not on the PATH. Install it (Debian/Ubuntu: 'apt-get install -y skopeo') or set SKOPEO_PATH.");
    }

    /// <summary>Runs skopeo with the given arguments (global options are added first) and returns its result.</summary>
    public Task<CommandResult> RunAsync(params string[] arguments) =>
        ExternalCommand.RunAsync(
            _executable,
            ["--policy", _policyPath, "--command-timeout", "90s", .. arguments],
            CommandTimeout,
            new Dictionary<string, string?>
            {
                ["HOME"] = _home.FullName,
                ["XDG_CONFIG_HOME"] = Path.Combine(_home.FullName, ".config"),
                ["XDG_DATA_HOME"] = Path.Combine(_home.FullName, ".local", "share"),
                ["XDG_RUNTIME_DIR"] = Path.Combine(_home.FullName, "run"),
                ["REGISTRY_AUTH_FILE"] = Path.Combine(_home.FullName, "auth.json"),
            });

    /// <summary>Runs skopeo and fails the test, showing its stderr, unless it exits with 0.</summary>
    public async Task<string> RunSucceedingAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput;
    }

    /// <summary>Deletes the temporary HOME.</summary>
    public void Dispose() => _home.Delete(recursive: true);
}
