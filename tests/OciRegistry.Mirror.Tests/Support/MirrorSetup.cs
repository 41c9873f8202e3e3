using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OciRegistry.Mirror.Upstreams;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>
/// An upstream registry behind an <see cref="UpstreamProbe"/>, and a mirror (on disk) of it called <c>up</c> for namespace
/// <c>upstream.test</c>; optionally on a test's clock, in memory instead of on disk, over a data folder the test keeps
/// (to start the mirror again), or with services of its own in the mirror.
/// </summary>
internal sealed class MirrorSetup : IAsyncDisposable
{
    public const string Name = "up";
    public const string Namespace = "upstream.test";

    private MirrorSetup(InProcessRegistry upstream, InProcessRegistry mirror, UpstreamProbe probe)
    {
        Upstream = upstream;
        Mirror = mirror;
        Probe = probe;
    }

    public InProcessRegistry Upstream { get; }

    public InProcessRegistry Mirror { get; }

    public UpstreamProbe Probe { get; }

    public static async Task<MirrorSetup> StartAsync(Action<MirrorOptions>? configure = null, Action<UpstreamOptions>? upstreamOptions = null, TimeProvider? time = null, bool inMemory = false, Action<IServiceCollection>? services = null)
    {
        var probe = new UpstreamProbe();
        var upstream = await InProcessRegistry.StartAsync(o => o.App = probe.Install);
        var mirror = await StartMirrorAsync(upstream.BaseAddress, configure, upstreamOptions, time, dataFolder: null, inMemory, services);
        return new MirrorSetup(upstream, mirror, probe);
    }

    /// <summary>Another mirror of this setup's upstream, keeping its data in <paramref name="dataFolder"/> (which outlives it).</summary>
    public Task<InProcessRegistry> StartMirrorAsync(string dataFolder, Action<MirrorOptions>? configure = null) =>
        StartMirrorAsync(Upstream.BaseAddress, configure, null, null, dataFolder, inMemory: false, services: null);

    /// <summary>A mirror (in memory) of the registry at <paramref name="upstream"/>, called <c>up</c>, configured by <paramref name="upstreamOptions"/>.</summary>
    public static Task<InProcessRegistry> StartMirrorOfAsync(Uri upstream, Action<UpstreamOptions> upstreamOptions) =>
        StartMirrorAsync(upstream, null, upstreamOptions, null, null, inMemory: true, services: null);

    private static Task<InProcessRegistry> StartMirrorAsync(Uri upstream, Action<MirrorOptions>? configure, Action<UpstreamOptions>? upstreamOptions, TimeProvider? time, string? dataFolder, bool inMemory, Action<IServiceCollection>? services) =>
        InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = dataFolder is null && !inMemory;
            o.Services = collection =>
            {
                if (time is not null)
                {
                    collection.Replace(ServiceDescriptor.Singleton(time));
                }

                var registry = collection.AddOciRegistry();
                if (dataFolder is not null)
                {
                    registry.AddFileSystemStorage(storage => storage.RootPath = dataFolder);
                }

                registry.AddMirror(m =>
                {
                    var options = new UpstreamOptions { Name = Name, Url = upstream };
                    options.Namespaces.Add(Namespace);
                    upstreamOptions?.Invoke(options);
                    m.Upstreams.Add(options);
                    configure?.Invoke(m);
                });
                services?.Invoke(collection);
            };
        });

    public async ValueTask DisposeAsync()
    {
        await Mirror.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
