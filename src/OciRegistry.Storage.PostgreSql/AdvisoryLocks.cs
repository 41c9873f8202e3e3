namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// The advisory locks the registry takes, each a (class, object) pair of PostgreSQL's two-key form; the class keeps
/// them apart from each other and from any other application's locks in the same database.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Held by the transaction that migrates the schema, so that instances starting together migrate once.</summary>
    public const string Migration = "SELECT pg_advisory_xact_lock(1330794834, 0)";

    /// <summary>
    /// Held by every write transaction on one repository (<c>$1</c>, hashed; a collision only serializes two
    /// repositories): the conditional writes (a manifest put checking its references, an immutable tag, an unused
    /// blob's unlink) check and change with no other writer of that repository in between, on any instance.
    /// </summary>
    public const string Repository = "SELECT pg_advisory_xact_lock(1330794835, hashtext($1))";

    /// <summary>
    /// Held by a transaction that marks a blob as being deleted or links it (<c>$1</c> is the digest, hashed): the mark
    /// checks every repository's links, so it and a link in any repository must not interleave. Taken after the
    /// repository's lock, never before one, so the two never deadlock.
    /// </summary>
    public const string Blob = "SELECT pg_advisory_xact_lock(1330794836, hashtext($1))";
}
