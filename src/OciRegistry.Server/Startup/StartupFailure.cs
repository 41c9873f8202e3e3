using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OciRegistry.Server.Startup;

/// <summary>
/// Turns the failures that come from the settings (problems found before building the host, options that fail their
/// validation when first read, an address in use, a certificate that cannot be read, a database that cannot be
/// reached or has another schema version) into one line each, instead of a stack trace.
/// </summary>
internal static class StartupFailure
{
    /// <summary>The lines describing <paramref name="failure"/>, or null when it is not a configuration failure.</summary>
    public static IReadOnlyList<string>? Describe(Exception failure) => failure switch
    {
        ConfigurationProblemsException found => found.Problems,
        AggregateException several => DescribeEach(several.InnerExceptions),
        // Each failure names its key (OciRegistry:...), as the libraries' validators write them.
        OptionsValidationException invalid => [.. invalid.Failures],
        IOException { InnerException: AddressInUseException } inUse => [$"{inUse.Message} Stop the other process or listen elsewhere (--urls http://0.0.0.0:<port>)."],
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AccessDenied } } denied =>
            [$"{denied.Message} Ports below 1024 need privileges: listen on a higher port (--urls http://0.0.0.0:5000)."],
        System.Security.Cryptography.CryptographicException unreadable =>
            [$"Kestrel:Certificates:Default cannot be read: {unreadable.Message} Give a PEM certificate with its key (KeyPath) or a PFX with its Password."],
        NpgsqlException database =>
            [$"{MetadataSettings.ConnectionStringKey}: the PostgreSQL database cannot be used: {database.Message}{(database.InnerException is { } inner ? " (" + inner.Message + ")" : "")}"],
        // The schema check names the version found, the version known and what to do (migrate, or upgrade the binary).
        InvalidOperationException { Source: SchemaCheckAssembly } schema => [schema.Message],
        _ => null,
    };

    private const string SchemaCheckAssembly = "OciRegistry.Storage.PostgreSql";

    // Several options failed their validation at once (IStartupValidator): their lines, or null when one of the
    // failures is something else.
    private static List<string>? DescribeEach(IEnumerable<Exception> failures)
    {
        var lines = new List<string>();
        foreach (var failure in failures)
        {
            if (Describe(failure) is not { } described)
            {
                return null;
            }

            lines.AddRange(described);
        }

        return lines;
    }

    /// <summary>Writes each problem as one <c>error:</c> line.</summary>
    public static void Write(TextWriter error, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"error: {problem}");
        }
    }
}
