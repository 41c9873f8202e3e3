using OciRegistry.Core.References;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Maintenance;
using static OciRegistry.Core.Tests.Maintenance.MaintenanceRegistry;

namespace OciRegistry.Storage.Tests.Maintenance;

public sealed class FileSystemIntegrityTests : IDisposable
{
    private readonly FileSystemRegistryFolder _folder = new();

    [Fact]
    public async Task Verify_FindsAFlippedByte_AndReportsNothingElse()
    {
        var registry = _folder.Registry;
        await registry.PushImageAsync("app", "v1", "config", "layer-bytes", "other-layer");
        FlipFirstByte(DigestOf("layer-bytes"));

        var report = await registry.Verifier.VerifyAsync();

        var corrupt = Assert.Single(report.CorruptBlobs);
        Assert.Equal(DigestOf("layer-bytes"), corrupt.Digest);
        Assert.NotEqual(corrupt.Digest, corrupt.Actual);
        Assert.False(corrupt.Quarantined);
        Assert.Empty(report.MissingReferences);
        Assert.Equal(4, report.BlobsChecked);
        Assert.True(File.Exists(_folder.BlobFile(DigestOf("layer-bytes"))));
    }

    [Fact]
    public async Task Quarantine_RemovesTheCorruptBlob_SoItIsServedAsUnknown()
    {
        var registry = _folder.Registry;
        var manifest = await registry.PushImageAsync("app", "v1", "config", "layer-bytes");
        var layer = DigestOf("layer-bytes");
        FlipFirstByte(layer);

        var report = await registry.Verifier.VerifyAsync(quarantine: true);

        Assert.True(Assert.Single(report.CorruptBlobs).Quarantined);
        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), manifest, layer), new MissingReference(RepositoryName.Parse("app"), layer, layer)], report.MissingReferences);
        var get = await registry.BlobOperations.OpenAsync("app", layer.ToString());
        Assert.Equal(RegistryErrorCode.BlobUnknown, get.Error?.Code);
        Assert.True((await registry.Verifier.VerifyAsync()).CorruptBlobs.Count == 0);
    }

    public void Dispose() => _folder.Dispose();

    private void FlipFirstByte(Core.Digests.Digest digest)
    {
        var path = _folder.BlobFile(digest);
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
