using OciRegistry.Testing;

namespace OciRegistry.Server.Tests;

/// <summary>
/// <c>oci-registry evict</c> as an operator runs it on a mirror's storage: a preview that changes nothing, then
/// <c>--apply</c>, which evicts by the configured limits and collects the bytes; without upstreams or limits it refuses.
/// The cache is filled by <c>oci-registry sync</c> from an upstream registry in the test.
/// </summary>
public sealed class EvictCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Evict_WithoutApply_Previews_AndEvictApplyEvicts_AndFreesTheBytes()
    {
        await using var upstream = await InProcessRegistry.StartAsync();
        var image = await upstream.Seeder.PushImageAsync("team/app", "1.0", [new byte[10_000]]);
        var synced = await ServerProcess.RunAsync(
            _folder.Path, null, "sync", "--upstream", upstream.BaseAddress.ToString(), "--image", "team/app:1.0", "--prefix", "up", "--OciRegistry:Storage:RootPath", _folder.Storage);
        Assert.Equal(0, synced.ExitCode);
        var storedBefore = StoredBlobs();
        string[] settings =
        [
            "--OciRegistry:Storage:RootPath", _folder.Storage,
            "--OciRegistry:Mirror:Upstreams:0:Name", "up", "--OciRegistry:Mirror:Upstreams:0:Url", upstream.BaseAddress.ToString(),
            "--OciRegistry:Mirror:Eviction:MaxBytes", "0", "--OciRegistry:Gc:GracePeriod", "00:00:00",
        ];

        var preview = await ServerProcess.RunAsync(_folder.Path, null, ["evict", .. settings]);
        var storedAfterPreview = StoredBlobs();
        var applied = await ServerProcess.RunAsync(_folder.Path, null, ["evict", "--apply", .. settings]);

        Assert.Equal(3, storedBefore); // manifest, config, layer
        Assert.Equal(0, preview.ExitCode);
        Assert.Contains($"would evict up/team/app@{image.ManifestDigest}", preview.Output, StringComparison.Ordinal);
        Assert.Contains("Run 'oci-registry evict --apply' to evict.", preview.Output, StringComparison.Ordinal);
        Assert.Equal(storedBefore, storedAfterPreview);
        Assert.Equal(0, applied.ExitCode);
        Assert.Contains($"evicted up/team/app@{image.ManifestDigest}", applied.Output, StringComparison.Ordinal);
        Assert.Contains("Evicted 1 images", applied.Output, StringComparison.Ordinal);
        Assert.Contains("3 blobs.", applied.Output, StringComparison.Ordinal);
        Assert.Equal(0, StoredBlobs());
    }

    [Theory]
    [InlineData("this registry mirrors nothing", "--OciRegistry:Mirror:Eviction:MaxBytes", "0")]
    [InlineData("no eviction limit is set", "--OciRegistry:Mirror:Upstreams:0:Name", "up", "--OciRegistry:Mirror:Upstreams:0:Url", "http://127.0.0.1:9")]
    public async Task Evict_WithoutUpstreamsOrLimits_IsRefused_WithExitCode2(string message, params string[] settings)
    {
        await _folder.PushOrphanBlobAsync();

        var run = await ServerProcess.RunAsync(_folder.Path, null, ["evict", "--apply", "--OciRegistry:Storage:RootPath", _folder.Storage, .. settings]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal(1, StoredBlobs());
    }

    private int StoredBlobs() => Directory.EnumerateFiles(Path.Combine(_folder.Storage, "blobs"), "*", SearchOption.AllDirectories).Count();
}
