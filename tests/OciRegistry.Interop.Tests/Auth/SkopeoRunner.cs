using System.Diagnostics;

namespace OciRegistry.Interop.Tests.Auth;

/// <summary>Runs <c>/usr/bin/skopeo</c>; a missing skopeo fails the test rather than skipping it.</summary>
internal static class SkopeoRunner
{
    private const string Skopeo = "/usr/bin/skopeo";

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Skopeo), $"{Skopeo} is required for the interop tests.");
        var start = new ProcessStartInfo(Skopeo)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // An isolated auth file: nothing from the machine's own logins leaks in or out.
        start.Environment["REGISTRY_AUTH_FILE"] = Path.Combine(Path.GetTempPath(), $"oci-auth-{Guid.NewGuid():N}.json");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
