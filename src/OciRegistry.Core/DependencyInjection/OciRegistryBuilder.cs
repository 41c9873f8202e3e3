namespace Microsoft.Extensions.DependencyInjection;

internal sealed class OciRegistryBuilder(IServiceCollection services) : IOciRegistryBuilder
{
    public IServiceCollection Services { get; } = services;
}
