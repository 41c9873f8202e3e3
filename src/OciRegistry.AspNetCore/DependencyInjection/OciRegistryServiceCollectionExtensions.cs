using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Endpoints;
using OciRegistry.AspNetCore.Maintenance;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OCI registry's HTTP API with a host.</summary>
public static class OciRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the registry: operations, validated <see cref="RegistryOptions"/>, in-memory storage until a provider is
    /// added (<c>.AddFileSystemStorage(...)</c>), and anonymous access until an <see cref="IRegistryAuthorizer"/> is
    /// registered, and a background service that runs garbage collection every
    /// <see cref="GarbageCollectionOptions.Interval"/> (off unless configured) and one that removes expired upload
    /// sessions every <see cref="RegistryOptions.UploadSessionCleanupInterval"/> (hourly). Map the endpoints with
    /// <c>app.MapOciRegistry()</c>. Services registered before are kept.
    /// </summary>
    public static IOciRegistryBuilder AddOciRegistry(this IServiceCollection services, Action<RegistryOptions>? configure = null)
    {
        var builder = services.AddOciRegistryCore(configure);
        services.TryAddSingleton<IRegistryAuthorizer, AnonymousRegistryAuthorizer>();
        services.TryAddSingleton<BlobEndpoints>();
        services.TryAddSingleton<UploadEndpoints>();
        services.TryAddSingleton<UploadSessionOwners>();
        services.TryAddSingleton<ManifestEndpoints>();
        services.TryAddSingleton<ListingEndpoints>();
        services.TryAddSingleton<ReferrersEndpoints>();
        services.TryAddSingleton<OperationRoutes>();
        services.TryAddSingleton<RegistryDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GarbageCollectionService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UploadSessionCleanupService>());
        return builder;
    }
}
