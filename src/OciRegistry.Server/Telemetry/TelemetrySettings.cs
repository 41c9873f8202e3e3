using OpenTelemetry.Exporter;

namespace OciRegistry.Server.Telemetry;

/// <summary>
/// The export settings under <c>OciRegistry:Telemetry</c>: <c>Otlp:Endpoint</c> (an http(s) URL; traces, metrics
/// and logs go there), <c>Otlp:Protocol</c> (<c>grpc</c>, the default, or <c>http/protobuf</c>) and
/// <c>Prometheus:Enabled</c> (a scrape endpoint at <see cref="PrometheusPath"/>).
/// </summary>
internal sealed record TelemetrySettings(Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol, bool Prometheus)
{
    public const string SectionKey = "OciRegistry:Telemetry";

    public const string PrometheusPath = "/metrics";

    /// <summary>Reads the settings, adding one line per unusable value to <paramref name="problems"/>.</summary>
    public static TelemetrySettings Read(IConfiguration configuration, List<string> problems)
    {
        var section = configuration.GetSection(SectionKey);
        Uri? endpoint = null;
        if (section["Otlp:Endpoint"] is { Length: > 0 } text
            && !(Uri.TryCreate(text, UriKind.Absolute, out endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{section.Path}:Otlp:Endpoint '{text}' is not an http:// or https:// URL: give the collector's address, e.g. http://otel-collector:4317.");
            endpoint = null;
        }

        var protocol = OtlpExportProtocol.Grpc;
        switch (section["Otlp:Protocol"])
        {
            case null or "" or "grpc":
                break;
            case "http/protobuf":
                protocol = OtlpExportProtocol.HttpProtobuf;
                break;
            case { } other:
                problems.Add($"{section.Path}:Otlp:Protocol '{other}' is not a protocol: use grpc or http/protobuf.");
                break;
        }

        var prometheus = false;
        if (section["Prometheus:Enabled"] is { Length: > 0 } enabled && !bool.TryParse(enabled, out prometheus))
        {
            problems.Add($"{section.Path}:Prometheus:Enabled '{enabled}' is not true or false.");
        }

        return new TelemetrySettings(endpoint, protocol, prometheus);
    }
}
