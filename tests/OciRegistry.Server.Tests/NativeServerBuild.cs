using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Tests;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The server published once as Native AOT (<c>dotnet publish -r linux-x64 -p:PublishAot=true</c>, which needs clang
/// and zlib's headers: tests/external-tools.txt) for all the tests of a class; deleted after the last.
/// </summary>
public sealed class NativeServerBuild : IAsyncLifetime
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("oci-server-native-");
    private CommandResult? _publish;

    /// <summary>How the publish ended: its exit code and the compiler's output.</summary>
    internal CommandResult Publish => _publish ?? throw new InvalidOperationException("The server is published in InitializeAsync.");

    /// <summary>The published folder.</summary>
    internal string Folder => _output.FullName;

    /// <summary>The native executable; fails the test with the publish's output when the publish failed.</summary>
    internal ServerProgram Program
    {
        get
        {
            Assert.True(Publish.ExitCode == 0, Publish.Describe());
            return ServerProgram.Executable(Path.Combine(Folder, "OciRegistry.Server"));
        }
    }

    public async Task InitializeAsync()
    {
        // The linker is found here, not by the compiler's own message deep in the build output.
        ExternalTool.Find("clang");
        _publish = await ServerPublish.RunAsync(["-r", "linux-x64", "-p:PublishAot=true", "-o", Folder]);
    }

    public Task DisposeAsync()
    {
        _output.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
