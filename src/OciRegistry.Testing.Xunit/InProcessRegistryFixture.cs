using Xunit;

namespace OciRegistry.Testing.Xunit;

/// <summary>
/// One <see cref="InProcessRegistry"/> for the tests that share this fixture: started before the first of them,
/// stopped (and its data deleted) after the last. Use it as a class fixture
/// (<c>IClassFixture&lt;InProcessRegistryFixture&gt;</c>) or as a collection fixture (a <c>[CollectionDefinition]</c>
/// class implementing <c>ICollectionFixture&lt;InProcessRegistryFixture&gt;</c> in the test assembly). Derive from it
/// and override <see cref="Configure"/> to change how the registry is built, e.g. to serve it in memory
/// (<see cref="RegistryTransport.InMemory"/>) when the tests only use its <see cref="InProcessRegistry.Client"/>.
/// The same class comes in OciRegistry.Testing.Xunit (xunit v2) and OciRegistry.Testing.XunitV3 (xunit v3).
/// </summary>
public class InProcessRegistryFixture : IAsyncLifetime
{
    private InProcessRegistry? _registry;

    /// <summary>The running registry.</summary>
    /// <exception cref="InvalidOperationException">Before xunit has initialized the fixture.</exception>
    public InProcessRegistry Registry => _registry ?? throw new InvalidOperationException("The registry starts in InitializeAsync, which xunit calls before the first test.");

#if XUNIT_V3
    /// <summary>Starts the registry. xunit calls it once, before the first test using the fixture.</summary>
    public async ValueTask InitializeAsync() => await StartAsync().ConfigureAwait(false);

    /// <summary>Stops the registry and deletes its data. xunit calls it once, after the last test using the fixture.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
#else
    /// <summary>Starts the registry. xunit calls it once, before the first test using the fixture.</summary>
    public Task InitializeAsync() => StartAsync();

    /// <summary>Stops the registry and deletes its data. xunit calls it once, after the last test using the fixture.</summary>
    public Task DisposeAsync() => StopAsync();
#endif

    private async Task StartAsync() => _registry = await InProcessRegistry.StartAsync(Configure).ConfigureAwait(false);

    private async Task StopAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sets the registry's options before it starts, e.g. <c>options.UseFileSystem = true</c> or <c>options.Transport = RegistryTransport.InMemory</c>. Does nothing by default (Kestrel, data in memory).</summary>
    protected virtual void Configure(InProcessRegistryOptions options)
    {
    }
}
