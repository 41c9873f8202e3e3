using IntegrationTests.CodeUnderTest;
using OciRegistry.Testing;
using OciRegistry.Testing.Xunit;

namespace IntegrationTests.Tests;

/// <summary>The resolver against a real registry: one per test class, seeded from code.</summary>
public sealed class ImageTagResolverTests(InProcessRegistryFixture fixture) : IClassFixture<InProcessRegistryFixture>
{
    private readonly ImageTagResolver _resolver = new(fixture.Registry.Client);

    [Fact]
    public async Task Resolves_ImageTag_ToItsManifestDigest()
    {
        var image = await fixture.Registry.Seeder.PushImageAsync("shop/api", "2.1", ["api binaries"u8.ToArray()]);

        var digest = await _resolver.ResolveAsync("shop/api", "2.1");

        Assert.Equal(image.ManifestDigest.ToString(), digest);
    }

    [Fact]
    public async Task Resolves_MultiPlatformTag_ToTheIndexDigest()
    {
        byte[][] amd = ["web amd64"u8.ToArray()];
        byte[][] arm = ["web arm64"u8.ToArray()];
        var images = new[]
        {
            await fixture.Registry.Seeder.PushImageAsync("shop/web", null, amd, RegistrySeeder.CreateConfig("linux", "amd64", amd)),
            await fixture.Registry.Seeder.PushImageAsync("shop/web", null, arm, RegistrySeeder.CreateConfig("linux", "arm64", arm)),
        };
        var index = await fixture.Registry.Seeder.PushIndexAsync("shop/web", "latest", images);

        var digest = await _resolver.ResolveAsync("shop/web", "latest");

        Assert.Equal(index.ToString(), digest);
    }

    [Fact]
    public async Task Follows_ARetaggedImage()
    {
        await fixture.Registry.Seeder.PushImageAsync("shop/worker", "stable", ["worker v1"u8.ToArray()]);
        var second = await fixture.Registry.Seeder.PushImageAsync("shop/worker", "stable", ["worker v2"u8.ToArray()]);

        var digest = await _resolver.ResolveAsync("shop/worker", "stable");

        Assert.Equal(second.ManifestDigest.ToString(), digest);
    }

    [Fact]
    public async Task ReturnsNull_ForAnUnknownTag()
    {
        await fixture.Registry.Seeder.PushImageAsync("shop/db", "1", ["db"u8.ToArray()]);

        Assert.Null(await _resolver.ResolveAsync("shop/db", "does-not-exist"));
    }
}
