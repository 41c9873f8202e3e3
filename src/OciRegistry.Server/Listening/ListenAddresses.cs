namespace OciRegistry.Server.Listening;

/// <summary>
/// Where the operator said to listen, in any of ASP.NET Core's ways: <c>--urls</c> / <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c> (set by the official .NET container images), or
/// <c>Kestrel:Endpoints</c>. Only when none is given does the server fall back to loopback port 5000.
/// </summary>
internal static class ListenAddresses
{
    public static bool AreConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    /// <summary>
    /// Whether an HTTPS address (an <c>https://</c> URL, HTTPS ports, or an https endpoint without its own
    /// certificate) needs the default certificate, <c>Kestrel:Certificates:Default</c>.
    /// </summary>
    public static bool NeedDefaultCertificate(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase)
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(endpoint => (endpoint["Url"] ?? "").StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !endpoint.GetSection("Certificate").GetChildren().Any());
}
