using System.Net;
using OciRegistry.Testing.Xunit;

namespace OciRegistry.Testing.Tests.Xunit;

/// <summary>Both tests get the one registry the class fixture started, and can push to it.</summary>
public sealed class ClassFixtureTests(InProcessRegistryFixture fixture) : IClassFixture<InProcessRegistryFixture>
{
    private static readonly byte[] SharedContent = "pushed once per class"u8.ToArray();

    [Fact]
    public Task SharesOneRegistry_AcrossTheClass_First() => PushAndCheckSharedAsync();

    [Fact]
    public Task SharesOneRegistry_AcrossTheClass_Second() => PushAndCheckSharedAsync();

    private async Task PushAndCheckSharedAsync()
    {
        var digest = await fixture.Registry.Seeder.PushBlobAsync("fixture/class", SharedContent);

        using var response = await fixture.Registry.Client.GetAsync(new Uri($"v2/fixture/class/blobs/{digest}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(fixture.Registry, SharedRegistry.FirstSeen(typeof(ClassFixtureTests), fixture.Registry));
    }
}
