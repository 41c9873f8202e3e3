using System.Net;
using OciRegistry.Testing.Xunit;

namespace OciRegistry.Testing.Tests.Xunit;

public sealed class InProcessRegistryFixtureTests
{
    [Fact]
    public async Task Starts_OnInitialize_AndStops_OnDispose()
    {
        var fixture = new InProcessRegistryFixture();
        Assert.Throws<InvalidOperationException>(() => fixture.Registry);

        await fixture.InitializeAsync();
        var baseAddress = fixture.Registry.BaseAddress;
        using (var response = await fixture.Registry.Client.GetAsync(new Uri("v2/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await fixture.DisposeAsync();

        using var client = new HttpClient { BaseAddress = baseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("v2/", UriKind.Relative)));
    }

    [Fact]
    public async Task Disposes_WithoutHavingStarted()
    {
        var fixture = new InProcessRegistryFixture();

        await fixture.DisposeAsync();

        Assert.Throws<InvalidOperationException>(() => fixture.Registry);
    }

    [Fact]
    public async Task DerivedFixture_ConfiguresTheRegistry_AndItsFolderGoesOnDispose()
    {
        var fixture = new FileSystemRegistryFixture();
        await fixture.InitializeAsync();
        var folder = fixture.Registry.DataFolder;

        Assert.NotNull(folder);
        Assert.True(Directory.Exists(folder));

        await fixture.DisposeAsync();
        Assert.False(Directory.Exists(folder));
    }
}
