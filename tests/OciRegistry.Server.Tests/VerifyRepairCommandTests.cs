using OciRegistry.Core.References;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Storage.Sqlite;

namespace OciRegistry.Server.Tests;

/// <summary><c>oci-registry verify --repair</c>: exit 1 while something is missing and not repaired, 0 once it was.</summary>
public sealed class VerifyRepairCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Verify_ReportsALostLink_WithExitCode1_AndRepairLinksItAgain_WithExitCode0()
    {
        var config = await PushImageOverAnOrphanBlobAsync();
        using (var metadata = new SqliteMetadataStore(Path.Combine(_folder.Storage, "metadata.db")))
        {
            Assert.True(await metadata.UnlinkBlobAsync(RepositoryName.Parse("app"), config));
        }

        string[] storage = ["--OciRegistry:Storage:RootPath", _folder.Storage];
        var found = await ServerProcess.RunAsync(_folder.Path, null, ["verify", .. storage]);
        var repaired = await ServerProcess.RunAsync(_folder.Path, null, ["verify", "--repair", .. storage]);
        var after = await ServerProcess.RunAsync(_folder.Path, null, ["verify", .. storage]);

        Assert.Equal(1, found.ExitCode);
        Assert.Contains($"missing {config} referenced by app@", found.Output, StringComparison.Ordinal);
        Assert.Equal(0, repaired.ExitCode);
        Assert.Contains("(repaired: linked again)", repaired.Output, StringComparison.Ordinal);
        Assert.Contains("1 repaired.", repaired.Output, StringComparison.Ordinal);
        Assert.Equal(0, after.ExitCode);
    }

    // The orphan blob becomes the config of a tagged image: the manifest then needs its link.
    private async Task<Digest> PushImageOverAnOrphanBlobAsync()
    {
        var file = await _folder.PushOrphanBlobAsync();
        var config = Digest.Parse("sha256:" + Path.GetFileName(file));
        var manifest = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":321},"layers":[]}
            """;
        var services = new ServiceCollection();
        services.AddOciRegistryCore().AddFileSystemStorage(o => o.RootPath = _folder.Storage);
        await using var provider = services.BuildServiceProvider();
        var put = await provider.GetRequiredService<ManifestOperations>().PutAsync("app", "v1", "application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(manifest));
        Assert.True(put.IsSuccess, put.Error?.Message);
        return config;
    }
}
