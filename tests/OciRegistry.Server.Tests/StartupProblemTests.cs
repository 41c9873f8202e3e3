using System.Net;
using System.Net.Sockets;

namespace OciRegistry.Server.Tests;

/// <summary>
/// A configuration mistake stops the server with exit code 2 and one line per problem (key, value, what to do),
/// never a stack trace; every problem the configuration shows is named in the same run.
/// </summary>
public sealed class StartupProblemTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task UnknownAuthMode_IsOneLine()
    {
        var run = await ServeAsync("--OciRegistry:Auth:Mode", "ldap");

        AssertProblems(run, "error: OciRegistry:Auth:Mode 'ldap' is not a mode: use anonymous, basic or token.");
    }

    [Fact]
    public async Task BasicMode_WithoutHtpasswd_AndWithoutRules_NamesBothProblems()
    {
        var run = await ServeAsync("--OciRegistry:Auth:Mode", "basic");

        AssertProblems(
            run,
            "error: OciRegistry:Auth:Basic:HtpasswdPath is not set",
            "error: OciRegistry:Auth:Access has no rules, so basic mode would refuse every pull and push");
    }

    [Fact]
    public async Task MissingHtpasswdFile_NamesThePath()
    {
        var missing = Path.Combine(_folder.Path, "nowhere", "htpasswd");

        var run = await ServeAsync(WithRule("--OciRegistry:Auth:Mode", "basic", "--OciRegistry:Auth:Basic:HtpasswdPath", missing));

        AssertProblems(run, $"error: OciRegistry:Auth:Basic:HtpasswdPath '{missing}' does not exist");
    }

    [Fact]
    public async Task Md5Htpasswd_NamesTheLine_AndTheTool()
    {
        var htpasswd = _folder.WriteHtpasswd(TemporaryFolder.BcryptEntry("alice", "pw"), "bob:$apr1$qzOVDqPc$4r4xpz0sPEXh7bLZ/U1nJ/");

        var run = await ServeAsync(WithRule("--OciRegistry:Auth:Mode", "token", "--OciRegistry:Auth:Basic:HtpasswdPath", htpasswd));

        AssertProblems(run, $"error: OciRegistry:Auth:Basic:HtpasswdPath: {htpasswd}:2 is not 'user:bcrypt-hash'; create entries with 'htpasswd -B'.");
    }

    [Fact]
    public async Task HttpsWithoutCertificate_SaysWhichSettingsToGive()
    {
        var run = await ServeAsync("--urls", "https://127.0.0.1:0");

        AssertProblems(run, "error: Kestrel:Certificates:Default:Path is not set but an HTTPS address is configured");
    }

    [Fact]
    public async Task PortInUse_IsOneLine()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)occupant.LocalEndpoint).Port}";

        var run = await ServeAsync("--urls", address);

        AssertProblems(run, $"error: Failed to bind to address {address}: address already in use.");
    }

    [Fact]
    public async Task UnusableTelemetrySettings_AreOneLineEach()
    {
        var run = await ServeAsync(
            "--OciRegistry:Telemetry:Otlp:Endpoint", "otel-collector:4317",
            "--OciRegistry:Telemetry:Otlp:Protocol", "thrift",
            "--OciRegistry:Telemetry:Prometheus:Enabled", "yes");

        AssertProblems(
            run,
            "error: OciRegistry:Telemetry:Otlp:Endpoint 'otel-collector:4317' is not an http:// or https:// URL",
            "error: OciRegistry:Telemetry:Otlp:Protocol 'thrift' is not a protocol: use grpc or http/protobuf.",
            "error: OciRegistry:Telemetry:Prometheus:Enabled 'yes' is not true or false.");
    }

    [Fact]
    public async Task MirrorUpstreamWithoutUrl_AndAnotherInvalidOption_AreOneLineEach()
    {
        var run = await ServeAsync("--OciRegistry:Mirror:Upstreams:0:Name", "dockerhub", "--OciRegistry:MaxPageSize", "0");

        AssertProblems(
            run,
            "error: OciRegistry:MaxPageSize must be positive (was 0).",
            "error: OciRegistry:Mirror:Upstreams:0:Url must be an absolute http(s) URL.");
    }

    [Fact]
    public async Task InvalidOptions_StopAMaintenanceCommand_InOneLine()
    {
        await _folder.PushOrphanBlobAsync();

        var run = await ServerProcess.RunAsync(_folder.Path, null, "gc", "--apply", "--OciRegistry:Storage:RootPath", _folder.Storage, "--OciRegistry:Gc:GracePeriod", "-01:00:00");

        AssertProblems(run, "error: OciRegistry:Gc:GracePeriod must not be negative (was -01:00:00).");
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_folder.Storage, "blobs"), "*", SearchOption.AllDirectories));
    }

    private static string[] WithRule(params string[] settings) =>
    [
        .. settings,
        "--OciRegistry:Auth:Access:0:User", "alice",
        "--OciRegistry:Auth:Access:0:Repositories", "*",
        "--OciRegistry:Auth:Access:0:Actions:0", "pull",
    ];

    private static void AssertProblems(CompletedRun run, params string[] starts)
    {
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(starts.Length, lines.Length);
        for (var i = 0; i < starts.Length; i++)
        {
            Assert.StartsWith(starts[i], lines[i], StringComparison.Ordinal);
        }

        Assert.DoesNotContain(" at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", run.Output, StringComparison.Ordinal);
    }

    private Task<CompletedRun> ServeAsync(params string[] settings) =>
        ServerProcess.RunAsync(
            _folder.Path,
            null,
            ["--OciRegistry:Storage:RootPath", _folder.Storage, .. settings.Contains("--urls") ? settings : ["--urls", "http://127.0.0.1:0", .. settings]]);
}
