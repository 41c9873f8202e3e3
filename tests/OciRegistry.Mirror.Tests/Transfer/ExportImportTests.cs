using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Mirror.Tests.Support;
using OciRegistry.Mirror.Transfer;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Transfer;

/// <summary>Images cross an air gap as an OCI image layout with every platform and every referrer, digests unchanged.</summary>
public sealed class ExportImportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("images.tar")]
    [InlineData("layout")]
    public async Task ExportThenImport_IntoAFreshRegistry_KeepsDigestsAndReferrers(string output)
    {
        await using var source = await InProcessRegistry.StartAsync();
        await using var target = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var signed = await SignedIndex.PushAsync(source, "team/app", "1.0");
        await SignedIndex.PushAsync(source, "other/skipped", "1.0");
        var path = Path.Combine(_folder, output);

        await Transfer(source).ExportAsync(["team/*:1.*"], path);
        await Transfer(target).ImportAsync(path);

        Assert.Equal(signed.Index, DigestHasher.Compute(await target.Client.GetByteArrayAsync("/v2/team/app/manifests/1.0")));
        foreach (var child in new[] { signed.Amd64, signed.Arm64, signed.Signature })
        {
            Assert.Equal(child, DigestHasher.Compute(await target.Client.GetByteArrayAsync($"/v2/team/app/manifests/{child}")));
        }

        foreach (var blob in signed.Blobs)
        {
            Assert.Equal(blob, DigestHasher.Compute(await target.Client.GetByteArrayAsync($"/v2/team/app/blobs/{blob}")));
        }

        Assert.Equal(
            await ReferrersAsync(source, "team/app", signed.Index),
            await ReferrersAsync(target, "team/app", signed.Index));
        Assert.Contains(signed.Signature.ToString(), await ReferrersAsync(target, "team/app", signed.Index), StringComparison.Ordinal);
        using var catalog = JsonDocument.Parse(await target.Client.GetStringAsync("/v2/_catalog"));
        Assert.Equal(["team/app"], catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ImportAgain_WritesNothing()
    {
        await using var source = await InProcessRegistry.StartAsync();
        await using var target = await InProcessRegistry.StartAsync();
        var signed = await SignedIndex.PushAsync(source, "team/app", "1.0");
        var path = Path.Combine(_folder, "images.tar");
        await Transfer(source).ExportAsync(["team/app"], path);

        var first = await Transfer(target).ImportAsync(path);
        var second = await Transfer(target).ImportAsync(path);

        Assert.Equal(signed.Blobs.Count, first.Blobs);
        Assert.Equal((0, 0, 0L), (second.Manifests, second.Blobs, second.Bytes));
    }

    [Fact]
    public async Task InterruptedImport_ResumesWithWhatIsLeft()
    {
        await using var source = await InProcessRegistry.StartAsync();
        await using var target = await InProcessRegistry.StartAsync();
        var signed = await SignedIndex.PushAsync(source, "team/app", "1.0");
        var path = Path.Combine(_folder, "layout");
        await Transfer(source).ExportAsync(["team/app:1.0"], path);

        await Assert.ThrowsAsync<OperationCanceledException>(() => Transfer(target).ImportAsync(path, progress: new InterruptAfterFirstBlob()));
        using var beforeResume = await target.Client.GetAsync("/v2/team/app/manifests/1.0");
        var resumed = await Transfer(target).ImportAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, beforeResume.StatusCode);
        Assert.Equal(signed.Blobs.Count - 1, resumed.Blobs);
        Assert.Equal(signed.Index, DigestHasher.Compute(await target.Client.GetByteArrayAsync("/v2/team/app/manifests/1.0")));
    }

    [Fact]
    public async Task RedirectedProgress_PrintsOneLinePerImage()
    {
        await using var source = await InProcessRegistry.StartAsync();
        await SignedIndex.PushAsync(source, "team/app", "1.0");
        await SignedIndex.PushAsync(source, "team/app", "2.0");
        using var output = new StringWriter();

        await Transfer(source).ExportAsync(["team/app"], Path.Combine(_folder, "layout"), new ConsoleTransferProgress(output, interactive: false));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2 images to transfer", lines[0]);
        Assert.StartsWith("[1/2] team/app:1.0 done; ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("[2/2] team/app:2.0 done; ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', output.ToString());
    }

    private static ImageTransfer Transfer(InProcessRegistry registry) => ActivatorUtilities.CreateInstance<ImageTransfer>(registry.Services);

    private static async Task<string> ReferrersAsync(InProcessRegistry registry, string repository, Digest subject) =>
        await registry.Client.GetStringAsync($"/v2/{repository}/referrers/{subject}");

    private sealed class InterruptAfterFirstBlob : ITransferProgress
    {
        public void Planned(int images)
        {
        }

        public void ImageStarted(string image)
        {
        }

        public void Transferred(long bytes) => throw new OperationCanceledException("interrupted by the test");

        public void ImageFinished(string image)
        {
        }
    }
}
