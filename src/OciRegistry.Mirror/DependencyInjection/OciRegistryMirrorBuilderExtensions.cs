using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Upstream;
using OciRegistry.Mirror;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Eviction;
using OciRegistry.Mirror.Manifests;
using OciRegistry.Mirror.Upstreams;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the pull-through mirror to a registry.</summary>
public static class OciRegistryMirrorBuilderExtensions
{
    /// <summary>
    /// Makes the registry a pull-through mirror of the upstreams <paramref name="configure"/> lists: repositories under
    /// an upstream's name (or requested with containerd's <c>?ns=</c> for one of its hosts) are fetched from it on a
    /// miss and served from the registry's own storage afterwards. Options are validated at start-up. Pull and tag-check
    /// records go to the metadata store when it keeps them (<see cref="IUpstreamCacheRecords"/>: SQLite, PostgreSQL),
    /// otherwise to memory; eviction runs in the background when <see cref="MirrorOptions.Eviction"/> sets a limit.
    /// </summary>
    public static IOciRegistryBuilder AddMirror(this IOciRegistryBuilder builder, Action<MirrorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<MirrorOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MirrorOptions>, MirrorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MirrorMetrics>();
        services.TryAddSingleton<UpstreamRouter>();
        services.TryAddSingleton<ManifestStore>();
        services.TryAddSingleton<IUpstreamCacheRecords>(sp => sp.GetRequiredService<IMetadataStore>() as IUpstreamCacheRecords ?? new InMemoryUpstreamCacheRecords());
        services.TryAddSingleton<CheckTimes>();
        services.TryAddSingleton<PullRecorder>();
        services.TryAddSingleton<TagChecks>();
        services.TryAddSingleton<ReferrerChecks>();
        services.TryAddSingleton<IMirrorEviction, MirrorEviction>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MirrorEvictionService>());
        services.TryAddSingleton<BlobFills>();
        services.TryAddSingleton<IUpstreamSource, MirrorSource>();
        return builder;
    }
}
