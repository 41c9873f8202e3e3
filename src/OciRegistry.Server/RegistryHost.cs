using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;

namespace OciRegistry.Server;

/// <summary>Builds the standalone registry: the AspNetCore package over file-system storage, configured from appsettings, environment and command line.</summary>
internal static class RegistryHost
{
    public const string DefaultUrl = "http://localhost:5000";

    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships next to the program (also inside the dotnet tool), so it is read from there wherever
        // the registry is started; relative data paths still resolve against the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.UseKestrelHttpsConfiguration(); // https:// URLs with Kestrel:Certificates:Default:Path (+ KeyPath for PEM)
        builder.WebHost.ConfigureKestrel((context, kestrel) => ServerLimits.Apply(kestrel, context.Configuration));
        var section = builder.Configuration.GetSection("OciRegistry");
        builder.Services
            .AddOciRegistry(options => section.Bind(options))
            .AddFileSystemStorage(storage => storage.RootPath = section["Storage:RootPath"] ?? "registry-data")
            .AddConfiguredAuthentication(section.GetSection("Auth"))
            .AddConfiguredMirror(section.GetSection("Mirror"));
        builder.Services.Configure<GarbageCollectionOptions>(section.GetSection("Gc"));
        builder.Services.AddHealthChecks().AddOciRegistryStorage();
        builder.Services.AddLargeTransportBuffers();
        var ui = section.GetSection("Ui");
        if (RegistryUi.IsEnabled(ui))
        {
            builder.Services.AddConfiguredUi(ui, section.GetSection("Auth"));
        }

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        app.MapHealthChecks("/healthz");
        app.MapOciRegistry();
        app.MapConfiguredAuthentication(section.GetSection("Auth"));
        if (RegistryUi.IsEnabled(ui))
        {
            app.MapConfiguredUi(ui);
        }
        return app;
    }
}
