using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Skopeo;

/// <summary>
/// Runs the real <c>skopeo</c> binary against an in-process registry. Each instance has its own temporary HOME/XDG
/// folders, blob-info cache and a permissive signature policy, so runs never read or write the user's container
/// configuration or each other's.
/// </summary>
/// <remarks>
/// skopeo is required: when it cannot be found, <see cref="ExternalTool.Find(string)"/> throws and every test fails
/// naming how to install it (<c>./test.sh</c> does). Set <c>SKOPEO_PATH</c> to use a binary off the PATH.
/// </remarks>
internal sealed class SkopeoCli : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _executable;
    private readonly DirectoryInfo _home;
    private readonly string _policyPath;

    public SkopeoCli()
    {
        _executable = ExternalTool.Find("skopeo");
        _home = Directory.CreateTempSubdirectory("skopeo-home-");
        _policyPath = Path.Combine(_home.FullName, "policy.json");
        File.WriteAllText(_policyPath, """{"default":[{"type":"insecureAcceptAnything"}]}""");
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

                // As root, skopeo keeps its blob-info cache (which repositories hold a blob: the mount candidates) in
                // /var/lib/containers/cache whatever XDG_DATA_HOME says, shared by every skopeo the tests run at once;
                // a location lost there made a mount test flaky. skopeo takes the user id from this variable when set,
                // so the cache moves under this instance's XDG_DATA_HOME.
                ["_CONTAINERS_ROOTLESS_UID"] = "1000",
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
