using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Docker;

/// <summary>
/// The docker command-line client on its own (no engine runs on these machines): <c>docker manifest</c> talks to
/// registries directly. Each instance has its own <c>DOCKER_CONFIG</c>; a missing client fails the test.
/// </summary>
internal sealed class DockerCli : IDisposable
{
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("docker-config-");
    private readonly string _executable = ExternalTool.Find("docker");

    public async Task<string> RunSucceedingAsync(params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(
            _executable, arguments, TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["DOCKER_CONFIG"] = _config.FullName });
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput;
    }

    public void Dispose() => _config.Delete(recursive: true);

}
