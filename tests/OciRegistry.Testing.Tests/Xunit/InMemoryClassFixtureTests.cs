using System.Net;

namespace OciRegistry.Testing.Tests.Xunit;

/// <summary>The xunit fixture serves an in-memory registry the same way: both tests share it and push to it.</summary>
public sealed class InMemoryClassFixtureTests(InMemoryRegistryFixture fixture) : IClassFixture<InMemoryRegistryFixture>
{
    [Fact]
    public Task SharesOneInMemoryRegistry_AcrossTheClass_First() => PushAndCheckSharedAsync();

    [Fact]
    public Task SharesOneInMemoryRegistry_AcrossTheClass_Second() => PushAndCheckSharedAsync();

    private async Task PushAndCheckSharedAsync()
    {
        var digest = await fixture.Registry.Seeder.PushBlobAsync("fixture/in-memory", "pushed once per class"u8.ToArray());

        using var response = await fixture.Registry.Client.GetAsync(new Uri($"v2/fixture/in-memory/blobs/{digest}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RegistryTransport.InMemory, fixture.Registry.Transport);
        Assert.Same(fixture.Registry, SharedRegistry.FirstSeen(typeof(InMemoryClassFixtureTests), fixture.Registry));
    }
}
