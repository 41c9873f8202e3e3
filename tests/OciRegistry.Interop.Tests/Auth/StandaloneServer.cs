using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Server;

namespace OciRegistry.Interop.Tests.Auth;

/// <summary>
/// The standalone server's app, built by <c>RegistryHost.Build</c> from command-line settings exactly as
/// <c>oci-registry serve</c> would, on <c>127.0.0.1:0</c> with its data and htpasswd in a temporary folder.
/// </summary>
internal sealed class StandaloneServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandaloneServer(WebApplication app, string folder, string hostPort)
    {
        _app = app;
        Folder = folder;
        HostPort = hostPort;
    }

    public string Folder { get; }

    public string HostPort { get; }

    public static async Task<StandaloneServer> StartAsync(string folder, params string[] settings)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--OciRegistry:Storage:RootPath", Path.Combine(folder, "data"),
            "--Logging:LogLevel:Default", "Warning",
            .. settings,
        ];
        var app = RegistryHost.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new StandaloneServer(app, folder, new Uri(address).Authority);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
