using System.Diagnostics;
using System.Text;

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

    /// <summary>Publishes the app as <paramref name="repository"/>:<paramref name="tag"/> on top of <paramref name="baseImage"/>; returns exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> PublishAsync(string registry, string baseImage, string repository, string tag)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _project.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "publish", "-c", "Release", "-t:PublishContainer", "-nologo",
            $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry}",
            $"-p:ContainerRepository={repository}", $"-p:ContainerImageTag={tag}",
            "-p:ContainerRuntimeIdentifier=linux-x64", "-p:SelfContained=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The child is a build of its own: drop what the test host's MSBuild set, and let the SDK use plain HTTP.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    public void Dispose() => _project.Delete(recursive: true);
}
