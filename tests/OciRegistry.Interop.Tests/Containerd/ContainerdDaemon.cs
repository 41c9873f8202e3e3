using System.Diagnostics;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Containerd;

/// <summary>
/// A private containerd (what Kubernetes nodes pull with) started by the test: its own root, state and socket in a
/// temporary folder, the CRI plugin off; <see cref="CtrAsync"/> drives it with <c>ctr</c>. Needs root and the
/// <c>containerd</c> package (<c>./test.sh</c> installs it); missing binaries fail the test, never skip it.
/// </summary>
internal sealed class ContainerdDaemon : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _ctr;
    private readonly DirectoryInfo _folder;
    private readonly Process _daemon;
    private readonly string _socket;

    private ContainerdDaemon(string ctr, DirectoryInfo folder, Process daemon, string socket)
    {
        _ctr = ctr;
        _folder = folder;
        _daemon = daemon;
        _socket = socket;
    }

    public static async Task<ContainerdDaemon> StartAsync()
    {
        var containerdPath = ExternalTool.Find("containerd");
        var ctr = ExternalTool.Find("ctr");
        var folder = Directory.CreateTempSubdirectory("containerd-");
        var socket = Path.Combine(folder.FullName, "containerd.sock");
        var config = Path.Combine(folder.FullName, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{folder.FullName}/root"
            state = "{folder.FullName}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{socket}"
            """);
        var start = new ProcessStartInfo(containerdPath) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        var daemon = Process.Start(start) ?? throw new InvalidOperationException("containerd did not start");
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        var containerd = new ContainerdDaemon(ctr, folder, daemon, socket);
        for (var attempt = 0; attempt < 100 && (await containerd.CtrAsync("version")).ExitCode != 0; attempt++)
        {
            Assert.False(daemon.HasExited, "containerd exited at startup (is the test running as root?)");
            await Task.Delay(100);
        }

        return containerd;
    }

    /// <summary>Runs <c>ctr</c> against this daemon in namespace <c>test</c>.</summary>
    public Task<CommandResult> CtrAsync(params string[] arguments) =>
        ExternalCommand.RunAsync(_ctr, ["--address", _socket, "--namespace", "test", .. arguments], CommandTimeout);

    /// <summary>Runs <c>ctr</c> and fails the test, showing its output, unless it succeeds; returns its standard output.</summary>
    public async Task<string> CtrSucceedingAsync(params string[] arguments)
    {
        var result = await CtrAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        _daemon.Kill(entireProcessTree: true);
        await _daemon.WaitForExitAsync();
        _daemon.Dispose();
        _folder.Delete(recursive: true);
    }
}
