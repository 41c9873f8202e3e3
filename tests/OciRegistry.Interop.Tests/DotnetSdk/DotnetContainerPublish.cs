using OciRegistry.Interop.Tests.Infrastructure;

namespace OciRegistry.Interop.Tests.DotnetSdk;

/// <summary>
/// Runs the .NET SDK's own container publishing (<c>dotnet publish -t:PublishContainer</c>, built into the SDK) for a
/// tiny console app, pushing to a registry over plain HTTP on loopback.
/// </summary>
internal sealed class DotnetContainerPublish : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _project = Directory.CreateTempSubdirectory("oci-sdk-app-");

    public DotnetContainerPublish()
    {
        File.WriteAllText(Path.Combine(_project.FullName, "hello.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project.FullName, "Program.cs"), "System.Console.WriteLine(\"hello from a container\");\n");
    }

    /// <summary>
    /// Publishes the app as <paramref name="repository"/>:<paramref name="tag"/> on top of <paramref name="baseImage"/>,
    /// with the SDK's own environment <paramref name="settings"/> if given (how it uploads, say).
    /// </summary>
    public Task<CommandResult> PublishAsync(string registry, string baseImage, string repository, string tag, IReadOnlyDictionary<string, string>? settings = null)
    {
        // The child is a build of its own: drop what the test host's MSBuild set, and let the SDK use plain HTTP.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, string? (_) => null);
        environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ExternalCommand.RunAsync(
            "dotnet",
            [
                "publish", "-c", "Release", "-t:PublishContainer", "-nologo",
                $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry}",
                $"-p:ContainerRepository={repository}", $"-p:ContainerImageTag={tag}",
                "-p:ContainerRuntimeIdentifier=linux-x64", "-p:SelfContained=false",
            ],
            Timeout,
            environment,
            _project.FullName);
    }

    public void Dispose() => _project.Delete(recursive: true);
}
