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

    /// <summary>
    /// Keeps manifest records by tag and digest in each instance, so a pull by tag asks PostgreSQL nothing, and drops a
    /// repository's records when PostgreSQL notifies a change of its tags or manifests (<c>LISTEN</c>/<c>NOTIFY</c>, one
    /// listening connection per instance; the cache is bypassed while that connection is down). Off by default: with
    /// it on, a tag moved or deleted through one instance is seen by the others once the notification reaches them,
    /// not at once. Writes through an instance are seen by
    /// that instance at once either way.
    /// </summary>
    public bool NotifiedCache { get; set; }
}
