using Microsoft.Extensions.Logging.Console;

namespace OciRegistry.Server.Startup;

/// <summary>
/// The console log format from <c>Logging:Console:FormatterName</c> (<c>simple</c>, <c>json</c> or <c>systemd</c>).
/// The slim host registers only the simple formatter, so the other two are added here when asked for; their options
/// bind from <c>Logging:Console:FormatterOptions</c>.
/// </summary>
internal static class ConsoleLogFormat
{
    public static void Apply(WebApplicationBuilder builder)
    {
        var name = builder.Configuration["Logging:Console:FormatterName"];
        if (string.Equals(name, ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole();
        }
        else if (string.Equals(name, ConsoleFormatterNames.Systemd, StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSystemdConsole();
        }
    }
}
