using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Server.Tests;

/// <summary>
/// The command line never surprises: help and version print and exit, a typo stops the command before it runs, gc
/// deletes only when told to, verify refuses storage that is not there. Each case was a reproduction in issue 14.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("serve", "--help")]
    public async Task Help_PrintsUsage_AndExits_WithoutServing(params string[] args)
    {
        var run = await ServerProcess.RunAsync(_folder.Path, null, args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.Contains("--urls", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "registry-data")));
    }

    [Fact]
    public async Task Version_PrintsTheVersion_AndExits()
    {
        var run = await ServerProcess.RunAsync(_folder.Path, null, "--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Output);
        Assert.DoesNotContain("listening on", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GcHelp_PrintsUsage_AndDeletesNothing()
    {
        var blob = await _folder.PushOrphanBlobAsync();

        var run = await ServerProcess.RunAsync(
            _folder.Path, null, "gc", "--help", "--OciRegistry:Storage:RootPath", _folder.Storage, "--OciRegistry:Gc:GracePeriod", "00:00:00");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--apply", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(blob));
    }

    [Fact]
    public async Task Gc_WithAMisspeltOption_IsRefused_AndDeletesNothing()
    {
        var blob = await _folder.PushOrphanBlobAsync();

        var run = await ServerProcess.RunAsync(
            _folder.Path, null, "gc", "--OciRegistry:Storage:RootPath", _folder.Storage, "--OciRegistry:Gc:GracePeriod", "00:00:00", "--dry-rnu");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unrecognized option '--dry-rnu'", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
        Assert.True(File.Exists(blob));
    }

    [Fact]
    public async Task Gc_WithoutApply_OnlyReports_AndGcApplyDeletes()
    {
        var blob = await _folder.PushOrphanBlobAsync();
        string[] settings = ["--OciRegistry:Storage:RootPath", _folder.Storage, "--OciRegistry:Gc:GracePeriod", "00:00:00"];

        var dryRun = await ServerProcess.RunAsync(_folder.Path, null, ["gc", .. settings]);
        var keptByDryRun = File.Exists(blob);
        var applied = await ServerProcess.RunAsync(_folder.Path, null, ["gc", "--apply", .. settings]);

        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("Dry run: would free 321 bytes", dryRun.Output, StringComparison.Ordinal);
        Assert.True(keptByDryRun);
        Assert.Equal(0, applied.ExitCode);
        Assert.Contains("Freed 321 bytes", applied.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(blob));
    }

    [Fact]
    public async Task GcApply_WhileAnotherCollectionHoldsTheLease_SaysSo_WithExitCode3_AndDeletesNothing()
    {
        var blob = await _folder.PushOrphanBlobAsync();
        using (var metadata = new SqliteMetadataStore(Path.Combine(_folder.Storage, "metadata.db")))
        {
            Assert.True(await metadata.TryAcquireCollectorLeaseAsync("another instance", TimeSpan.FromHours(1)));
        }

        var run = await ServerProcess.RunAsync(
            _folder.Path, null, "gc", "--apply", "--OciRegistry:Storage:RootPath", _folder.Storage, "--OciRegistry:Gc:GracePeriod", "00:00:00");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Another garbage collection is running", run.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(blob));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("gc")]
    public async Task Maintenance_RefusesAStoragePathThatDoesNotExist_AndDoesNotCreateIt(string command)
    {
        var missing = Path.Combine(_folder.Path, "no-such-storage");

        var run = await ServerProcess.RunAsync(_folder.Path, null, command, "--OciRegistry:Storage:RootPath", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"OciRegistry:Storage:RootPath '{missing}' does not exist", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("0 corrupt", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("serve", "extra")]
    [InlineData("--urls")]
    [InlineData("verify", "--quarantin")]
    [InlineData("--OciRegistry:Auth:Mode")]
    [InlineData("frobnicate")]
    public async Task Mistakes_AreRefused_WithExitCode2_BeforeAnythingRuns(params string[] args)
    {
        var run = await ServerProcess.RunAsync(_folder.Path, null, args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "registry-data")));
    }
}
