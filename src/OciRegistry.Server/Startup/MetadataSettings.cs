using Npgsql;

namespace OciRegistry.Server.Startup;

/// <summary>
/// Where the metadata lives: in PostgreSQL when <see cref="ConnectionStringKey"/> is set (several instances can then
/// share it and one blob folder), otherwise in SQLite inside the storage folder.
/// </summary>
internal static class MetadataSettings
{
    public const string SectionKey = "OciRegistry:Metadata:PostgreSql";

    public const string ConnectionStringKey = SectionKey + ":ConnectionString";

    public static bool UsesPostgreSql(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]);

    /// <summary>Adds a line when the connection string is set but cannot be parsed.</summary>
    public static void Check(IConfiguration configuration, List<string> problems)
    {
        if (UsesPostgreSql(configuration) && Parse(configuration[ConnectionStringKey]!) is null)
        {
            problems.Add($"{ConnectionStringKey} is not an Npgsql connection string: write it as 'Host=db;Database=registry;Username=registry;Password=...'.");
        }
    }

    /// <summary>The store, for the startup summary and migrate's output; never the password.</summary>
    public static string Describe(IConfiguration configuration)
    {
        if (UsesPostgreSql(configuration) && Parse(configuration[ConnectionStringKey]!) is { } database)
        {
            return $"PostgreSQL database '{database.Database}' on {database.Host}{(database.Port == NpgsqlConnection.DefaultPort ? "" : $":{database.Port}")}{(database.Username is { } user ? $" as {user}" : "")}";
        }

        return $"SQLite at {Path.GetFullPath(StorageSettings.MetadataPath(configuration))}";
    }

    private static NpgsqlConnectionStringBuilder? Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
