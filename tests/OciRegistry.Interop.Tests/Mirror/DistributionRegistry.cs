using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Mirror;

/// <summary>
/// The Go reference registry (Debian's <c>docker-registry</c>, CNCF Distribution 2.8.2) started by the test on
/// <c>127.0.0.1:0</c> with its own config, storage and htpasswd (basic auth) in a temporary folder; the port is read
/// from its "listening on" log line. Needs <c>apt-get install docker-registry</c> (<c>.ci/run</c> installs it).
/// </summary>
internal sealed partial class DistributionRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    public const string User = "mirror";
    public const string Password = "mirror-secret";

    private readonly DirectoryInfo _folder;
    private readonly Process _process;

    private DistributionRegistry(DirectoryInfo folder, Process process, Uri baseAddress)
    {
        _folder = folder;
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
    }

    public Uri BaseAddress { get; }

    /// <summary>A client that sends the basic credentials with every request.</summary>
    public HttpClient Client { get; }

    public string HostPort => BaseAddress.Authority;

    /// <summary>
    /// Pushes an image built by <see cref="RegistrySeeder"/>: Distribution 2.8 has no one-request blob push, so the image
    /// is seeded into a scratch registry of ours and copied over by skopeo, digests preserved.
    /// </summary>
    public async Task<SeededImage> PushImageAsync(string repository, string tag, IReadOnlyList<byte[]> layers)
    {
        await using var scratch = await InProcessRegistry.StartAsync();
        var image = await scratch.Seeder.PushImageAsync(repository, tag, layers);
        using var skopeo = new SkopeoCli();
        await skopeo.RunSucceedingAsync(
            "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}",
            $"docker://{scratch.HostPort}/{repository}:{tag}", $"docker://{HostPort}/{repository}:{tag}");
        return image;
    }

    public static async Task<DistributionRegistry> StartAsync()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is required for the mirror interop tests (Debian/Ubuntu: 'apt-get install -y docker-registry').");
        var folder = Directory.CreateTempSubdirectory("distribution-");
        var htpasswd = Path.Combine(folder.FullName, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"{User}:{BCrypt.Net.BCrypt.HashPassword(Password, workFactor: 4)}\n");
        var config = Path.Combine(folder.FullName, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {folder.FullName}/data
            http:
              addr: 127.0.0.1:0
            auth:
              htpasswd:
                realm: distribution
                path: {htpasswd}
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler onLine = (_, line) =>
        {
            if (line.Data is { } text && ListeningOn().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += onLine;
        process.OutputDataReceived += onLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => listening.TrySetException(new InvalidOperationException("docker-registry exited at startup")), TaskScheduler.Default);
        var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
        return new DistributionRegistry(folder, process, new Uri($"http://{address}/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Delete(recursive: true);
    }

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
