using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the protocol-agnostic registry: options, operations and (unless a provider is added) in-memory storage.</summary>
public static class OciRegistryCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the registry operations (<see cref="UploadOperations"/>, <see cref="BlobOperations"/>,
    /// <see cref="ManifestOperations"/>, <see cref="ListingOperations"/>) with validated <see cref="RegistryOptions"/>,
    /// maintenance (<see cref="GarbageCollector"/> with <see cref="GarbageCollectionOptions"/>, <see cref="IntegrityVerifier"/>)
    /// and <see cref="RegistryMetrics"/> (with the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, added when missing),
    /// over in-memory storage until a storage provider replaces it. Services already registered are kept.
    /// </summary>
    public static IOciRegistryBuilder AddOciRegistryCore(this IServiceCollection services, Action<RegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RegistryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUploadSessionStore>(sp => sp.GetRequiredService<IMetadataStore>() as IUploadSessionStore
            ?? throw new InvalidOperationException($"The metadata store {sp.GetRequiredService<IMetadataStore>().GetType()} keeps no upload sessions: register an {nameof(IUploadSessionStore)} for it."));
        services.TryAddSingleton<UploadOperations>();
        services.TryAddSingleton<BlobOperations>();
        services.TryAddSingleton<ManifestOperations>();
        services.TryAddSingleton<ListingOperations>();
        services.AddOptions<GarbageCollectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GarbageCollectionOptions>, GarbageCollectionOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton<GarbageCollector>();
        services.TryAddSingleton<IntegrityVerifier>();

        var builder = new OciRegistryBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(IBlobStore)))
        {
            builder.AddInMemoryStorage();
        }

        return builder;
    }

    /// <summary>Stores everything in process memory (lost on exit): for tests and throwaway registries.</summary>
    public static IOciRegistryBuilder AddInMemoryStorage(this IOciRegistryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStorage(
            sp => new InMemoryBlobStore(sp.GetService<TimeProvider>()),
            sp => new InMemoryUploadStore((InMemoryBlobStore)sp.GetRequiredService<IBlobStore>(), sp.GetService<TimeProvider>()),
            sp => new InMemoryMetadataStore(sp.GetService<TimeProvider>()));
    }

    /// <summary>Replaces the three store contracts with a provider's implementations. For storage providers.</summary>
    public static IOciRegistryBuilder UseStorage(
        this IOciRegistryBuilder builder,
        Func<IServiceProvider, IBlobStore> blobs,
        Func<IServiceProvider, IUploadStore> uploads,
        Func<IServiceProvider, IMetadataStore> metadata)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(blobs));
        builder.Services.Replace(ServiceDescriptor.Singleton(uploads));
        builder.Services.Replace(ServiceDescriptor.Singleton(metadata));
        return builder;
    }
}
