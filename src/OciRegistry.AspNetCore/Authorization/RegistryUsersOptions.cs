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

    /// <summary>The default <see cref="FailedLoginLimit"/>.</summary>
    public const int DefaultFailedLoginLimit = 10;

    /// <summary>
    /// How many failed logins one remote address may make per <see cref="FailedLoginWindow"/>; beyond that its logins
    /// answer 429 TOOMANYREQUESTS with <c>Retry-After</c> until the window ends. Null for no limit.
    /// </summary>
    public int? FailedLoginLimit { get; set; } = DefaultFailedLoginLimit;

    /// <summary>The window <see cref="FailedLoginLimit"/> counts in; one minute by default.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(1);
}
