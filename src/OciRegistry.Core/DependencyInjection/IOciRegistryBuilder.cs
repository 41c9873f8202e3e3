namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddOciRegistry()</c>: storage providers and features are extension methods on it
/// (<c>.AddFileSystemStorage(...)</c>, <c>.AddInMemoryStorage()</c>).
/// </summary>
public interface IOciRegistryBuilder
{
    /// <summary>The host's service collection.</summary>
    IServiceCollection Services { get; }
}
