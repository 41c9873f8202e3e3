using OciRegistry.Testing.Xunit;

namespace OciRegistry.Testing.Tests.Xunit;

[CollectionDefinition(Name)]
public sealed class SharedRegistryCollection : ICollectionFixture<InProcessRegistryFixture>
{
    public const string Name = "shared in-process registry";
}

[Collection(SharedRegistryCollection.Name)]
public sealed class CollectionFixtureFirstClassTests(InProcessRegistryFixture fixture)
{
    [Fact]
    public void SharesOneRegistry_WithTheOtherClassOfTheCollection() =>
        Assert.Same(fixture.Registry, SharedRegistry.FirstSeen(typeof(SharedRegistryCollection), fixture.Registry));
}

[Collection(SharedRegistryCollection.Name)]
public sealed class CollectionFixtureSecondClassTests(InProcessRegistryFixture fixture)
{
    [Fact]
    public void SharesOneRegistry_WithTheOtherClassOfTheCollection() =>
        Assert.Same(fixture.Registry, SharedRegistry.FirstSeen(typeof(SharedRegistryCollection), fixture.Registry));
}
