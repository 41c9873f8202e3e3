using OciRegistry.Testing.Xunit;

namespace OciRegistry.Testing.Tests.Xunit;

/// <summary>A fixture whose registry has no socket: how a test suite that only uses HttpClient picks the in-memory transport.</summary>
public sealed class InMemoryRegistryFixture : InProcessRegistryFixture
{
    protected override void Configure(InProcessRegistryOptions options) => options.Transport = RegistryTransport.InMemory;
}
