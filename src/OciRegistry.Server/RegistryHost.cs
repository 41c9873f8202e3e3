using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;
using OciRegistry.Server.Listening;
using OciRegistry.Server.Startup;
using OciRegistry.Server.Telemetry;

namespace OciRegistry.Server;

/// <summary>Builds the standalone registry: the AspNetCore package over file-system storage, configured from appsettings, environment and command line.</summary>
internal static class RegistryHost
{
    public const string DefaultUrl = "http://localhost:5000";

    /// <summary>What the host is built for: which configuration problems matter.</summary>
    public enum Purpose
    {
        /// <summary>Serving requests: listening, TLS and auth settings must be complete.</summary>
        Serve,

        /// <summary>A maintenance command over existing storage: the storage must exist; auth and listening do not matter.</summary>
        Maintain,

        /// <summary>Migrating the PostgreSQL metadata database: only its connection string matters.</summary>
        Migrate,
    }

    /// <summary>Builds the app; throws <see cref="ConfigurationProblemsException"/> listing every problem found in the configuration.</summary>
    public static WebApplication Build(string[] args, Purpose purpose = Purpose.Serve)
    {
        // The content root is the working directory, where relative paths (storage, htpasswd, certificates) resolve and
        // an operator's own appsettings.json is read. The defaults ship next to the program (also inside the dotnet
        // tool and the container image) and are read from there first, so every other source overrides them.
        // Nothing re-reads configuration once started, and watching appsettings.json watches the whole content root:
        // with the default storage folder inside it, every blob write would raise a file event.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = "appsettings.json",
            Optional = true,
        });
        // A failed start is reported as one line (StartupFailure, RegistryCommandLine); the host's own report of it is
        // a stack trace at Error level, so only its critical messages are shown.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        ConsoleLogFormat.Apply(builder);
        var problems = purpose switch
        {
            Purpose.Serve => ConfigurationProblems.ForServing(builder.Configuration),
            Purpose.Maintain => ConfigurationProblems.ForMaintenance(builder.Configuration),
            _ => ConfigurationProblems.ForMigration(builder.Configuration),
        };
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemsException(problems);
        }

        if (!ListenAddresses.AreConfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.UseKestrelHttpsConfiguration(); // https:// URLs with Kestrel:Certificates:Default:Path (+ KeyPath for PEM)
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            ServerLimits.Apply(kestrel, context.Configuration);
            TlsConnectionGuard.AddTo(kestrel);
        });
        var section = builder.Configuration.GetSection("OciRegistry");
        var registry = builder.Services.AddOciRegistry(options => section.Bind(options));
        AddStorage(registry, builder.Configuration);
        if (MetadataSettings.UsesPostgreSql(builder.Configuration))
        {
            registry.AddPostgreSqlMetadata(options => builder.Configuration.GetSection(MetadataSettings.SectionKey).Bind(options));
        }

        registry
            .AddConfiguredAuthentication(section.GetSection("Auth"))
            .AddConfiguredMirror(section.GetSection("Mirror"));
        builder.Services.Configure<GarbageCollectionOptions>(section.GetSection("Gc"));
        var health = builder.Services.AddHealthChecks().AddOciRegistryStorage();
        if (MetadataSettings.UsesPostgreSql(builder.Configuration))
        {
            health.AddOciRegistryPostgreSql();
        }

        builder.Services.AddLargeTransportBuffers();
        var telemetry = TelemetrySettings.Read(builder.Configuration, problems: []); // its problems were reported above
        builder.Services.AddConfiguredTelemetry(telemetry);
        var ui = section.GetSection("Ui");
        // The pages are Razor components, which Native AOT does not support: the native build leaves them out, as its
        // compiler drops each branch behind this check, constant false there (ConfigurationProblems refuses Ui:Enabled).
        if (RuntimeFeature.IsDynamicCodeSupported && RegistryUi.IsEnabled(ui))
        {
            builder.Services.AddConfiguredUi(ui, section.GetSection("Auth"));
        }

        var app = builder.Build();
        // Every option validated at once, before mapping the endpoints reads the first of them: all bad values are
        // named together (AggregateException, one line each in StartupFailure), for every command.
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Use(TlsConnectionGuard.NoteRequest);
        app.UseMiddleware<RequestLogging>();
        // Kubernetes probes: liveness only needs the process to answer; readiness also needs writable storage (and a
        // reachable metadata database at this binary's schema).
        app.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz");
        app.MapConfiguredTelemetry(telemetry);
        app.MapOciRegistry();
        app.MapConfiguredAuthentication(section.GetSection("Auth"));
        if (RuntimeFeature.IsDynamicCodeSupported && RegistryUi.IsEnabled(ui))
        {
            app.MapConfiguredUi(ui);
        }
        return app;
    }

    private static void AddStorage(IOciRegistryBuilder registry, IConfiguration configuration)
    {
        switch (StorageSettings.BlobStorageOf(configuration))
        {
            case StorageSettings.BlobStorage.AzureBlob:
                CreateMetadataFolder(configuration);
                registry.AddAzureBlobStorage(options =>
                {
                    options.MetadataPath = StorageSettings.MetadataPath(configuration);
                    configuration.GetSection(StorageSettings.AzureBlobSectionKey).Bind(options);
                });
                break;
            case StorageSettings.BlobStorage.S3:
                CreateMetadataFolder(configuration);
                registry.AddS3Storage(options =>
                {
                    options.MetadataPath = StorageSettings.MetadataPath(configuration);
                    configuration.GetSection(StorageSettings.S3SectionKey).Bind(options);
                });
                break;
            default:
                registry.AddFileSystemStorage(storage => storage.RootPath = StorageSettings.RootPath(configuration));
                break;
        }
    }

    // Beside an object store the folder holds only the SQLite metadata: with PostgreSQL metadata nothing is created.
    private static void CreateMetadataFolder(IConfiguration configuration)
    {
        if (StorageSettings.FolderContents(configuration) is not null)
        {
            Directory.CreateDirectory(StorageSettings.RootPath(configuration));
        }
    }
}
