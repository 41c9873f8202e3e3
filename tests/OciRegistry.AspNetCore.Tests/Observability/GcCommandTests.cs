using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Operations;
using OciRegistry.Server;

namespace OciRegistry.AspNetCore.Tests.Observability;

public sealed class GcCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("oci-gc-command-").FullName;

    [Fact]
    public async Task Gc_IsADryRun_PrintingWhatItWouldDelete_ThenGcApplyDeletes()
    {
        var digest = await PushOrphanBlobAsync();
        var blobFile = Directory.EnumerateFiles(Path.Combine(_root, "blobs"), "*", SearchOption.AllDirectories).Single();
        string[] settings = ["--OciRegistry:Storage:RootPath", _root, "--OciRegistry:Gc:GracePeriod", "00:00:00", "--Logging:LogLevel:Default", "Warning"];

        var dryOutput = new StringWriter();
        var dryExit = await RegistryCommandLine.RunAsync(["gc", .. settings], dryOutput, TextWriter.Null);

        Assert.Equal(0, dryExit);
        Assert.Contains($"would delete blob {digest} (321 bytes)", dryOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dry run: would free 321 bytes", dryOutput.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(blobFile));

        var output = new StringWriter();
        var exit = await RegistryCommandLine.RunAsync(["gc", "--apply", .. settings], output, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains($"deleted blob {digest} (321 bytes)", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(blobFile));
    }

    [Fact]
    public async Task Verify_ExitsNonZero_OnAFlippedByte_AndQuarantineRemovesIt()
    {
        var digest = await PushOrphanBlobAsync();
        var blobFile = Directory.EnumerateFiles(Path.Combine(_root, "blobs"), "*", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(blobFile);
        bytes[10] ^= 1;
        await File.WriteAllBytesAsync(blobFile, bytes);
        string[] settings = ["--OciRegistry:Storage:RootPath", _root, "--Logging:LogLevel:Default", "None"];

        var output = new StringWriter();
        Assert.Equal(1, await RegistryCommandLine.RunAsync(["verify", .. settings], output, TextWriter.Null));
        Assert.Contains($"corrupt blob {digest}", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(blobFile));

        Assert.Equal(1, await RegistryCommandLine.RunAsync(["verify", "--quarantine", .. settings], TextWriter.Null, TextWriter.Null));
        Assert.False(File.Exists(blobFile));
        Assert.Equal(0, await RegistryCommandLine.RunAsync(["verify", .. settings], TextWriter.Null, TextWriter.Null));
    }

    public void Dispose() => OciRegistry.Tests.TestFolders.Delete(_root);

    private async Task<string> PushOrphanBlobAsync()
    {
        var blob = RandomNumberGenerator.GetBytes(321);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var services = new ServiceCollection();
        services.AddOciRegistryCore().AddFileSystemStorage(o => o.RootPath = _root);
        await using var provider = services.BuildServiceProvider();
        var pushed = await provider.GetRequiredService<UploadOperations>().PushAsync("app", digest, PipeReader.Create(new MemoryStream(blob)));
        Assert.True(pushed.IsSuccess);
        return digest;
    }
}
