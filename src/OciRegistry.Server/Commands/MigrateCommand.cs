using System.CommandLine;
using Npgsql;
using OciRegistry.Server.Startup;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Server.Commands;

/// <summary>
/// <c>oci-registry migrate</c>: creates or upgrades the registry's tables in the PostgreSQL database of
/// <c>OciRegistry:Metadata:PostgreSql:ConnectionString</c> to the version this binary knows. Idempotent and safe while
/// instances serve (migrations run under a lock, each in one transaction); a database migrated by a newer release is
/// refused and left untouched.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command(
            "migrate",
            $"Create or upgrade the registry's tables in the PostgreSQL database of {MetadataSettings.ConnectionStringKey} " +
            $"(schema version {PostgreSqlSchema.Version}). Safe to repeat and to run while instances serve." +
            Environment.NewLine + ConfigurationArguments.HelpText)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        migrate.SetAction((parsed, cancellationToken) => RunAsync(ConfigurationArguments.Of(parsed), parsed.InvocationConfiguration, cancellationToken));
        return migrate;
    }

    private static async Task<int> RunAsync(string[] settings, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var app = RegistryHost.Build(settings, RegistryHost.Purpose.Migrate);
        await using (app.ConfigureAwait(false))
        {
            var database = MetadataSettings.Describe(app.Configuration);
            var dataSource = NpgsqlDataSource.Create(app.Configuration[MetadataSettings.ConnectionStringKey]!);
            await using (dataSource.ConfigureAwait(false))
            {
                try
                {
                    var applied = await PostgreSqlSchema.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
                    await console.Output.WriteLineAsync(applied.Count == 0
                        ? $"{database} is at schema version {PostgreSqlSchema.Version}: nothing to do."
                        : $"{database}: applied schema version {string.Join(", ", applied)}; now at version {PostgreSqlSchema.Version}.").ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                catch (Exception failure) when (StartupFailure.Describe(failure) is { } problems)
                {
                    StartupFailure.Write(console.Error, problems);
                    return ExitCodes.Failure;
                }
            }
        }
    }
}
