using Npgsql;
using OciRegistry.Core.Observability;
using OciRegistry.Server.Startup;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OciRegistry.Server.Telemetry;

/// <summary>
/// Exports the registry's spans and metrics with OpenTelemetry, as <see cref="TelemetrySettings"/> ask: the
/// <c>OciRegistry</c> source and meter, ASP.NET Core's requests (each registry endpoint under its own
/// <c>http.route</c>), Kestrel's connections and Npgsql's commands (database time, when the metadata is in
/// PostgreSQL: a span per command under the request's span, and the command duration histogram). Nothing is added when
/// neither OTLP nor Prometheus is configured.
/// </summary>
internal static class RegistryTelemetry
{
    // The meters of ASP.NET Core's request and connection metrics.
    private static readonly string[] FrameworkMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static void AddConfiguredTelemetry(this IServiceCollection services, TelemetrySettings settings)
    {
        if (settings.OtlpEndpoint is null && !settings.Prometheus)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("oci-registry", serviceVersion: StartupSummary.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RegistryMetrics.MeterName).AddMeter(FrameworkMeters).AddNpgsqlInstrumentation();
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry
                .WithTracing(tracing => tracing.AddSource(RegistryActivitySource.Name).AddAspNetCoreInstrumentation().AddNpgsql())
                .UseOtlpExporter(settings.OtlpProtocol, endpoint);
        }
    }

    public static void MapConfiguredTelemetry(this WebApplication app, TelemetrySettings settings)
    {
        if (settings.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(TelemetrySettings.PrometheusPath);
        }
    }
}
