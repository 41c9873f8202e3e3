using System.Net;
using OciRegistry.AspNetCore.Tests.Support;

namespace OciRegistry.AspNetCore.Tests.Uploads;

/// <summary>A stored blob whose bytes went bad on disk (same length) is repaired by the next genuine push of it.</summary>
public sealed class CorruptBlobRepairTests
{
    [Fact]
    public async Task AGenuinePush_ReplacesAStoredCopyWhoseBytesWentBad()
    {
        await using var registry = await Registries.StartAsync(fileSystem: true);
        var client = Registries.ClientOf(registry);
        var content = new byte[50_000];
        new Random(3).NextBytes(content);
        var digest = await client.PushBlobAsync("first/app", content);
        var hex = digest["sha256:".Length..];
        var file = Path.Combine(registry.DataFolder!, "blobs", "sha256", hex[..2], hex);
        var flipped = await File.ReadAllBytesAsync(file);
        flipped[40_000] ^= 0x01;
        await File.WriteAllBytesAsync(file, flipped);

        await client.PushBlobAsync("second/app", content);

        using var served = await registry.Client.GetAsync($"/v2/first/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(content, await served.Content.ReadAsByteArrayAsync());
    }
}
