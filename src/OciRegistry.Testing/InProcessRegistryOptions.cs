using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Operations;

namespace OciRegistry.Testing;

/// <summary>How <see cref="InProcessRegistry.StartAsync"/> builds its registry. The defaults need no setting.</summary>
public sealed class InProcessRegistryOptions
{
    /// <summary>Keep data in a fresh temporary folder (deleted on dispose) instead of in memory.</summary>
    public bool UseFileSystem { get; set; }

    /// <summary>
    /// How requests reach the registry: <see cref="RegistryTransport.Kestrel"/> (default) for external tools,
    /// <see cref="RegistryTransport.InMemory"/> for tests that only use <see cref="InProcessRegistry.Client"/>.
    /// </summary>
    public RegistryTransport Transport { get; set; }

    /// <summary>Registry rules (deletes, limits…).</summary>
    public Action<RegistryOptions>? Registry { get; set; }

    /// <summary>Extra services, e.g. an <c>IRegistryAuthorizer</c> or authentication.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>Extra middleware before the registry's endpoints, e.g. <c>app.UseAuthentication()</c>.</summary>
    public Action<WebApplication>? App { get; set; }
}
