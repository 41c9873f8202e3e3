using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;
using OciRegistry.Server.Telemetry;

namespace OciRegistry.Server.Startup;

/// <summary>
/// What a started server logs once, so an operator sees at a glance what runs: version, listen addresses, storage,
/// metadata store, auth mode with its users and rules, limits, telemetry and the collection schedule.
/// </summary>
internal static partial class StartupSummary
{
    public static void Log(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OciRegistry.Server");
        var configuration = app.Configuration;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var registry = app.Services.GetRequiredService<IOptions<RegistryOptions>>().Value;
        var gc = app.Services.GetRequiredService<IOptions<GarbageCollectionOptions>>().Value;
        var auth = configuration.GetSection("OciRegistry:Auth");

        Messages.Started(logger, Version, string.Join(", ", addresses));
        Messages.Storage(logger, StorageSettings.Describe(configuration));
        Messages.Metadata(logger, MetadataSettings.Describe(configuration));
        Messages.Auth(logger, AuthSettings.ModeOf(auth), UserCount(auth), AuthSettings.AccessRuleCount(auth));
        Messages.Limits(
            logger,
            registry.MaxBlobBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited",
            registry.MaxManifestBytes,
            registry.MaxUploadSessions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited",
            registry.DeletesEnabled);
        var telemetry = TelemetrySettings.Read(configuration, problems: []);
        Messages.Telemetry(
            logger,
            telemetry.OtlpEndpoint is { } otlp ? $"OTLP to {otlp} ({telemetry.OtlpProtocol})" : "no OTLP export",
            telemetry.Prometheus ? $"Prometheus at {TelemetrySettings.PrometheusPath}" : "no Prometheus endpoint");
        if (gc.Interval is { } interval)
        {
            Messages.Collection(logger, interval, gc.GracePeriod);
        }
        else
        {
            Messages.NoCollection(logger);
        }
    }

    /// <summary>The informational version of the server (also what <c>--version</c> prints).</summary>
    public static string Version { get; } =
        typeof(StartupSummary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static int UserCount(IConfigurationSection auth) =>
        AuthSettings.HtpasswdPath(auth) is { } path && File.Exists(path)
            ? HtpasswdFile.Load(path).Count
            : 0;

    private static partial class Messages
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "OciRegistry.Server {Version} listening on {Addresses}")]
        public static partial void Started(ILogger logger, string version, string addresses);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Storage: {Storage}")]
        public static partial void Storage(ILogger logger, string storage);

        [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Metadata: {Store}")]
        public static partial void Metadata(ILogger logger, string store);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Auth: {Mode}, {Users} users, {Rules} access rules")]
        public static partial void Auth(ILogger logger, string mode, int users, int rules);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Limits: blob {MaxBlobBytes} bytes, manifest {MaxManifestBytes} bytes, upload sessions {MaxUploadSessions}, deletes enabled {DeletesEnabled}")]
        public static partial void Limits(ILogger logger, string maxBlobBytes, int maxManifestBytes, string maxUploadSessions, bool deletesEnabled);

        [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Garbage collection: every {Interval}, grace period {GracePeriod}")]
        public static partial void Collection(ILogger logger, TimeSpan interval, TimeSpan gracePeriod);

        [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Telemetry: {Otlp}, {Prometheus}")]
        public static partial void Telemetry(ILogger logger, string otlp, string prometheus);

        [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Garbage collection: not scheduled (set OciRegistry:Gc:Interval, or run 'oci-registry gc --apply')")]
        public static partial void NoCollection(ILogger logger);
    }
}
