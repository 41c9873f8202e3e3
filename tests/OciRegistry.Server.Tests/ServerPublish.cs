using OciRegistry.Interop.Tests.Infrastructure;

namespace OciRegistry.Server.Tests;

/// <summary>
/// <c>dotnet publish</c> of the server project, as an operator or a release build runs it. Every test that publishes
/// is in <see cref="ServerPublishCollection"/>, so two publishes never build the same project at once.
/// </summary>
internal static class ServerPublish
{
    // A guard against a hung build, not a timing assertion: a Native AOT publish took 19 minutes on a 2-core machine
    // shared by five builds (load 27), about 3 minutes of compiler time.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(45);

    public static string ProjectPath { get; } = FindProject();

    /// <summary>Publishes the server in Release with <paramref name="arguments"/> added; <paramref name="environment"/> adds variables.</summary>
    public static Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        // The child is a build of its own: drop what the test host's MSBuild set.
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, string? (_) => null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return ExternalCommand.RunAsync("dotnet", ["publish", ProjectPath, "-c", "Release", "--nologo", .. arguments], HangGuard, variables);
    }

    private static string FindProject()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "OciRegistry.Core.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(
            folder?.FullName ?? throw new InvalidOperationException("OciRegistry.Core.sln not found above " + AppContext.BaseDirectory),
            "src", "OciRegistry.Server", "OciRegistry.Server.csproj");
    }
}

/// <summary>The tests that publish the server project: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ServerPublishCollection
{
    public const string Name = "Server publishes";
}
