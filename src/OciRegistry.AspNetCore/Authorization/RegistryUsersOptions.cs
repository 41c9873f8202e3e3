namespace OciRegistry.AspNetCore.Authorization;

/// <summary>The registry's own users (an htpasswd file of bcrypt hashes) and what each may do.</summary>
public abstract class RegistryUsersOptions
{
    /// <summary>
    /// The htpasswd file: one <c>user:hash</c> per line, bcrypt hashes only (<c>$2y$</c>, <c>$2a$</c>, <c>$2b$</c>,
    /// as <c>htpasswd -B</c> writes). Null means no users: only <c>*</c> rules apply.
    /// </summary>
    public string? HtpasswdPath { get; set; }

    /// <summary>The access list; a request is allowed when any rule for its user (or <c>*</c>) grants it.</summary>
    public IList<AccessRule> Access { get; set; } = [];
}
