namespace OciRegistry.Server;

/// <summary>Makes the server a pull-through mirror when <c>OciRegistry:Mirror:Upstreams</c> lists any upstream.</summary>
internal static class RegistryMirror
{
    public static IOciRegistryBuilder AddConfiguredMirror(this IOciRegistryBuilder registry, IConfigurationSection mirror) =>
        mirror.GetSection("Upstreams").GetChildren().Any() ? registry.AddMirror(options => mirror.Bind(options)) : registry;
}
