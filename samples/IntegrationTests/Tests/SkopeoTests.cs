using System.Diagnostics;
using System.Text.Json;
using OciRegistry.Testing;

namespace IntegrationTests.Tests;

/// <summary>An external tool reaches the in-process registry too: skopeo inspects an image seeded from code.</summary>
public sealed class SkopeoTests
{
    private const string Skopeo = "/usr/bin/skopeo";

    [Fact]
    public async Task Skopeo_Inspects_AnImageSeededFromCode()
    {
        Assert.True(File.Exists(Skopeo), $"{Skopeo} is required by this test (apt-get install -y skopeo).");
        await using var registry = await InProcessRegistry.StartAsync();
        var image = await registry.Seeder.PushImageAsync("tools/seeded", "1.0", ["first layer"u8.ToArray(), "second layer"u8.ToArray()]);

        var output = await RunAsync(Skopeo, "inspect", "--tls-verify=false", $"docker://{registry.HostPort}/tools/seeded:1.0");

        using var inspected = JsonDocument.Parse(output);
        Assert.Equal(image.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.LayerDigests.Select(d => d.ToString()), inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("amd64", inspected.RootElement.GetProperty("Architecture").GetString());
    }

    private static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
