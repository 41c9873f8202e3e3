using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OciRegistry.Testing;

/// <summary>
/// A real OCI registry on Kestrel at <c>127.0.0.1</c> on a free port, inside the calling process: reachable by
/// <see cref="HttpClient"/> and by external tools (skopeo, containerd, docker) alike. In-memory by default.
/// <c>await using</c> stops it and deletes its data. Any number can run at once, each isolated.
/// </summary>
public sealed class InProcessRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessRegistry(WebApplication app, Uri baseAddress, string? dataFolder)
    {
        _app = app;
        DataFolder = dataFolder;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
        Seeder = new RegistrySeeder(Client);
    }

    /// <summary>The registry's root URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The <c>host:port</c> that image references use, e.g. <c>127.0.0.1:41234</c> (as in <c>127.0.0.1:41234/app:1.0</c>).</summary>
    public string HostPort => BaseAddress.Authority;

    /// <summary>A client whose base address is the registry.</summary>
    public HttpClient Client { get; }

    /// <summary>The temporary folder holding the registry's data with <see cref="InProcessRegistryOptions.UseFileSystem"/>; null in memory. Deleted on dispose.</summary>
    public string? DataFolder { get; }

    /// <summary>Pushes blobs, images and indexes into this registry through <see cref="Client"/>.</summary>
    public RegistrySeeder Seeder { get; }

    /// <summary>The registry host's services (operations, stores, options).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a registry and returns once it answers requests.</summary>
    public static async Task<InProcessRegistry> StartAsync(Action<InProcessRegistryOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new InProcessRegistryOptions();
        configure?.Invoke(options);
        var dataFolder = options.UseFileSystem ? Directory.CreateTempSubdirectory("oci-registry-").FullName : null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddLargeTransportBuffers();
        var registry = builder.Services.AddOciRegistry(options.Registry);
        if (dataFolder is not null)
        {
            registry.AddFileSystemStorage(storage => storage.RootPath = dataFolder);
        }

        options.Services?.Invoke(builder.Services);
        var app = builder.Build();
        options.App?.Invoke(app);
        app.MapOciRegistry();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new InProcessRegistry(app, new Uri(address.TrimEnd('/') + "/"), dataFolder);
    }

    /// <summary>Stops the server and deletes the registry's data folder, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (DataFolder is not null && Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
