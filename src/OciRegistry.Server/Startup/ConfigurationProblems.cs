using System.Runtime.CompilerServices;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Server.Listening;
using OciRegistry.Server.Telemetry;

namespace OciRegistry.Server.Startup;

/// <summary>
/// Checks the configuration before anything starts and names every problem at once, one line each: the key, the
/// value, and what to do. A server that would start but refuse every request (basic mode without users or rules)
/// counts as a problem too.
/// </summary>
internal static class ConfigurationProblems
{
    public static IReadOnlyList<string> ForServing(IConfiguration configuration)
    {
        var problems = new List<string>();
        CheckAuthentication(configuration.GetSection("OciRegistry:Auth"), problems);
        CheckCertificate(configuration, problems);
        CheckUi(configuration.GetSection("OciRegistry:Ui"), problems);
        TelemetrySettings.Read(configuration, problems);
        MetadataSettings.Check(configuration, problems);
        StorageSettings.Check(configuration, problems);
        return problems;
    }

    public static IReadOnlyList<string> ForMaintenance(IConfiguration configuration)
    {
        var problems = new List<string>();
        var root = StorageSettings.RootPath(configuration);
        // A command on a folder that does not exist would create empty stores there and report an empty registry.
        if (StorageSettings.FolderContents(configuration) is { } contents && !Directory.Exists(root))
        {
            problems.Add($"{StorageSettings.RootPathKey} '{Path.GetFullPath(root)}' does not exist: give the folder that holds the registry's {contents} (--{StorageSettings.RootPathKey} <path>).");
        }

        MetadataSettings.Check(configuration, problems);
        StorageSettings.Check(configuration, problems);
        return problems;
    }

    public static IReadOnlyList<string> ForMigration(IConfiguration configuration)
    {
        var problems = new List<string>();
        if (!MetadataSettings.UsesPostgreSql(configuration))
        {
            problems.Add(
                $"{MetadataSettings.ConnectionStringKey} is not set: migrate creates or upgrades the registry's tables in a PostgreSQL database; " +
                $"name it (--{MetadataSettings.ConnectionStringKey} 'Host=db;Database=registry;Username=registry'). Without it the metadata is in SQLite, which needs no migration.");
        }

        MetadataSettings.Check(configuration, problems);
        return problems;
    }

    private static void CheckAuthentication(IConfigurationSection auth, List<string> problems)
    {
        var mode = AuthSettings.ModeOf(auth);
        if (mode is not (AuthSettings.Anonymous or AuthSettings.Basic or AuthSettings.Token))
        {
            problems.Add($"{auth.Path}:Mode '{auth["Mode"]}' is not a mode: use anonymous, basic or token.");
            return;
        }

        if (mode == AuthSettings.Anonymous || (mode == AuthSettings.Token && !AuthSettings.UsesBuiltInTokenServer(auth)))
        {
            return;
        }

        var htpasswdPath = AuthSettings.HtpasswdPath(auth);
        if (htpasswdPath is null)
        {
            if (mode == AuthSettings.Basic)
            {
                problems.Add($"{auth.Path}:Basic:HtpasswdPath is not set: basic mode needs an htpasswd file of bcrypt entries (htpasswd -B -c htpasswd <user>).");
            }
        }
        else if (!File.Exists(htpasswdPath))
        {
            problems.Add($"{auth.Path}:Basic:HtpasswdPath '{Path.GetFullPath(htpasswdPath)}' does not exist: create it with 'htpasswd -B -c {htpasswdPath} <user>' or correct the path.");
        }
        else
        {
            try
            {
                HtpasswdFile.Load(htpasswdPath);
            }
            catch (InvalidOperationException unreadable)
            {
                problems.Add($"{auth.Path}:Basic:HtpasswdPath: {unreadable.Message}");
            }
        }

        if (AuthSettings.AccessRuleCount(auth) == 0)
        {
            problems.Add(
                $"{auth.Path}:Access has no rules, so {mode} mode would refuse every pull and push: add rules, e.g. " +
                $"--{auth.Path}:Access:0:User alice --{auth.Path}:Access:0:Repositories '*' --{auth.Path}:Access:0:Actions:0 pull --{auth.Path}:Access:0:Actions:1 push.");
        }
    }

    // The pages are Razor components, which Native AOT does not support: the native build leaves them out (RegistryHost).
    private static void CheckUi(IConfigurationSection ui, List<string> problems)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported && RegistryUi.IsEnabled(ui))
        {
            problems.Add(
                $"{ui.Path}:Enabled is true, but this native build of the server has no web interface (its pages need the .NET runtime): " +
                "run the dotnet tool or the container image for it, or leave the setting off.");
        }
    }

    private static void CheckCertificate(IConfiguration configuration, List<string> problems)
    {
        var certificate = configuration.GetSection("Kestrel:Certificates:Default");
        if (ListenAddresses.NeedDefaultCertificate(configuration) && string.IsNullOrEmpty(certificate["Path"]) && string.IsNullOrEmpty(certificate["Subject"]))
        {
            problems.Add(
                "Kestrel:Certificates:Default:Path is not set but an HTTPS address is configured: give the certificate " +
                "(--Kestrel:Certificates:Default:Path cert.pem --Kestrel:Certificates:Default:KeyPath key.pem) or listen on http://.");
        }
        else if (certificate["Path"] is { Length: > 0 } path && !File.Exists(path))
        {
            problems.Add($"Kestrel:Certificates:Default:Path '{Path.GetFullPath(path)}' does not exist: correct the path to the PEM or PFX certificate.");
        }
    }
}
