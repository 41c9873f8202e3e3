using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Testing;
using OciRegistry.Tests;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>
/// A registry served over HTTPS on loopback by a real Kestrel, with a certificate for 127.0.0.1 signed by a certificate
/// authority made for the test (its PEM in <see cref="CaCertificatePath"/>, trusted by nothing else). Records the
/// <c>Authorization</c> header of every request it answers.
/// </summary>
internal sealed class HttpsUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackCertificates _certificates;
    private readonly string _folder;
    private readonly HttpClient _seedClient;

    private HttpsUpstream(WebApplication app, LoopbackCertificates certificates, string folder, ConcurrentQueue<string> authorizations)
    {
        _app = app;
        _certificates = certificates;
        _folder = folder;
        Authorizations = authorizations;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

        // The seeding client trusts exactly this certificate, so only the mirror's own trust is under test.
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificates.Server.GetCertHashString();
        _seedClient = new HttpClient(handler) { BaseAddress = BaseAddress };
        Seeder = new RegistrySeeder(_seedClient);
    }

    /// <summary><c>https://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The PEM file of the certificate authority that signed the upstream's certificate.</summary>
    public string CaCertificatePath => Path.Combine(_folder, "ca.pem");

    public RegistrySeeder Seeder { get; }

    /// <summary>The <c>Authorization</c> header of each request received, in order ("" when there was none).</summary>
    public ConcurrentQueue<string> Authorizations { get; }

    public static async Task<HttpsUpstream> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("oci-https-upstream-").FullName;
        var certificates = LoopbackCertificates.Create("mirror test upstream CA");
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), certificates.Authority.ExportCertificatePem());

        var authorizations = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Server)));
        builder.Services.AddOciRegistry();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            await next(context);
        });
        app.MapOciRegistry();
        await app.StartAsync();
        return new HttpsUpstream(app, certificates, folder, authorizations);
    }

    public async ValueTask DisposeAsync()
    {
        _seedClient.Dispose();
        await _app.DisposeAsync();
        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
