namespace OciRegistry.Storage.PostgreSql;

/// <summary>Where the registry's metadata lives in PostgreSQL (<c>OciRegistry:Metadata:PostgreSql</c>).</summary>
public sealed class PostgreSqlMetadataOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=registry;Username=registry;Password=…</c> (a folder as
    /// <c>Host</c> connects through that folder's Unix socket).
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Migrates the schema when the host starts (safe with several instances starting at once: they migrate under one
    /// lock). When false, the host refuses to start unless the database is at <see cref="PostgreSqlSchema.Version"/>
    /// (run <c>oci-registry migrate</c> first). True by default.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;
}
