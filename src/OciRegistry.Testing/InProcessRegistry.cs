using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OciRegistry.Testing;

/// <summary>
/// A real OCI registry inside the calling process: on Kestrel at <c>127.0.0.1</c> on a free port, reachable by
/// <see cref="HttpClient"/> and external tools (skopeo, containerd, docker) alike, or in memory with no socket
/// (<see cref="RegistryTransport.InMemory"/>) for tests that only use <see cref="Client"/>. Data in memory by default.
/// <c>await using</c> stops it and deletes its data. Any number can run at once, each isolated.
/// </summary>
public sealed class InProcessRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessRegistry(WebApplication app, RegistryTransport transport, HttpClient client, string? dataFolder)
    {
        _app = app;
        Transport = transport;
        Client = client;
        DataFolder = dataFolder;
        Seeder = new RegistrySeeder(client);
    }

    /// <summary>How requests reach this registry.</summary>
    public RegistryTransport Transport { get; }

    /// <summary>
    /// The registry's root URL: e.g. <c>http://127.0.0.1:41234/</c> on Kestrel; <c>http://localhost/</c> in memory,
    /// where only <see cref="Client"/> can reach it.
    /// </summary>
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The <c>host:port</c> that image references use, e.g. <c>127.0.0.1:41234</c> (as in <c>127.0.0.1:41234/app:1.0</c>).</summary>
    /// <exception cref="InvalidOperationException">The registry runs with <see cref="RegistryTransport.InMemory"/>: no socket, so no port.</exception>
    public string HostPort => Transport == RegistryTransport.Kestrel
        ? BaseAddress.Authority
        : throw new InvalidOperationException(
            "This registry runs in memory (RegistryTransport.InMemory): it has no socket, so no host:port, and only its Client reaches it. " +
            "For external tools (skopeo, containerd, docker) start it with options.Transport = RegistryTransport.Kestrel.");

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

        // The empty builder reads no configuration files or environment variables and adds no logging providers:
        // fewer services to build on the first start, and nothing from the test's folder leaks into the registry.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        if (options.Transport == RegistryTransport.Kestrel)
        {
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                kestrel.Limits.MaxRequestBodySize = null;
            });
            builder.Services.AddLargeTransportBuffers();
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

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
        return new InProcessRegistry(app, options.Transport, CreateClient(app, options.Transport), dataFolder);
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

    private static HttpClient CreateClient(WebApplication app, RegistryTransport transport)
    {
        if (transport == RegistryTransport.InMemory)
        {
            return app.GetTestServer().CreateClient();
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
    }
}
