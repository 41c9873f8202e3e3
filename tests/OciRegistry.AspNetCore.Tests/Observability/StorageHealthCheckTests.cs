using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Observability;

public sealed class StorageHealthCheckTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Healthz_IsHealthy_WhenStorageReadsAndWrites_AndLeavesNoUpload(bool useFileSystem)
    {
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = useFileSystem;
            o.Services = s => s.AddHealthChecks().AddOciRegistryStorage();
            o.App = app => app.MapHealthChecks("/healthz");
        });

        var response = await registry.Client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        await foreach (var session in registry.Services.GetRequiredService<IUploadStore>().ListAsync())
        {
            Assert.Fail($"the probe left upload {session.Id}");
        }
    }

    [Fact]
    public async Task Healthz_IsUnhealthy_WhenTheStorageFolderIsGone()
    {
        string? root = null;
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = s => s.AddHealthChecks().AddOciRegistryStorage();
            o.App = app =>
            {
                root = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Storage.FileSystem.FileSystemStorageOptions>>().Value.RootPath;
                app.MapHealthChecks("/healthz");
            };
        });
        OciRegistry.Tests.TestFolders.Delete(root!);
        File.WriteAllText(root!, "not a folder");

        try
        {
            var response = await registry.Client.GetAsync("healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            File.Delete(root!);
            Directory.CreateDirectory(root!);
        }
    }
}
