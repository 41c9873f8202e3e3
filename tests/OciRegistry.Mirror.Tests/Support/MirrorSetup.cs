using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Mirror.Upstreams;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>An upstream registry behind an <see cref="UpstreamProbe"/>, and a mirror (on disk) of it called <c>up</c> for namespace <c>upstream.test</c>.</summary>
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

    public static async Task<MirrorSetup> StartAsync(Action<MirrorOptions>? configure = null, Action<UpstreamOptions>? upstreamOptions = null)
    {
        var probe = new UpstreamProbe();
        var upstream = await InProcessRegistry.StartAsync(o => o.App = probe.Install);
        var mirror = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = services => services.AddOciRegistry().AddMirror(m =>
            {
                var options = new UpstreamOptions { Name = Name, Url = upstream.BaseAddress };
                options.Namespaces.Add(Namespace);
                upstreamOptions?.Invoke(options);
                m.Upstreams.Add(options);
                configure?.Invoke(m);
            });
        });
        return new MirrorSetup(upstream, mirror, probe);
    }

    public async ValueTask DisposeAsync()
    {
        await Mirror.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
