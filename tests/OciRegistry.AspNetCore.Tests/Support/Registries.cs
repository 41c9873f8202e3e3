using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>Starts a registry per test: in memory or on the file system, optionally with options.</summary>
internal static class Registries
{
    public static Task<InProcessRegistry> StartAsync(bool fileSystem = false, Action<InProcessRegistryOptions>? configure = null) =>
        InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = fileSystem;
            configure?.Invoke(o);
        });

    public static RegistryClient ClientOf(InProcessRegistry registry) => new(registry.Client);

    /// <summary>The stores to run representative tests against.</summary>
    public static TheoryData<bool> Stores => new() { false, true };
}
