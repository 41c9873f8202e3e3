using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.AspNetCore.Transport;
using OciRegistry.Server;

namespace OciRegistry.AspNetCore.Tests.Transport;

/// <summary>The registry's hosts hand Kestrel 64 KiB transport blocks, and bodies cross them intact.</summary>
public sealed class TransportBufferTests
{
    [Fact]
    public async Task InProcessRegistry_Kestrel_TakesItsPoolFromTheLargeBlockFactory_AndBlobsCrossItWhole()
    {
        await using var registry = await Registries.StartAsync(fileSystem: true);
        var client = Registries.ClientOf(registry);
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(5).NextBytes(content);

        var digest = await client.PushBlobAsync("transport/blocks", content);
        var pulled = await registry.Client.GetByteArrayAsync($"/v2/transport/blocks/blobs/{digest}");

        var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(registry.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        Assert.Equal(OciRegistryTransportServiceCollectionExtensions.DefaultTransportBlockSize, factory.BlockSize);
        Assert.True(factory.PoolsCreated >= 1, "Kestrel created no pool from the factory");
        Assert.Equal(content, pulled);
    }

    [Fact]
    public async Task StandaloneServer_UsesLargeTransportBlocks()
    {
        var folder = Directory.CreateTempSubdirectory("oci-transport-").FullName;
        try
        {
            await using var app = RegistryHost.Build(["--urls", "http://127.0.0.1:0", "--OciRegistry:Storage:RootPath", folder]);

            var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

            Assert.Equal(OciRegistryTransportServiceCollectionExtensions.DefaultTransportBlockSize, factory.BlockSize);
        }
        finally
        {
            OciRegistry.Tests.TestFolders.Delete(folder);
        }
    }

    [Fact]
    public void BlocksSmallerThanAPage_AreRefused_WhenRegistering()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddLargeTransportBuffers(blockSize: 1024));
    }
}
