namespace OciRegistry.AspNetCore.Authorization;

/// <summary>HTTP Basic authentication against an htpasswd file, with per-repository access rules.</summary>
public sealed class BasicAuthenticationOptions : RegistryUsersOptions
{
    /// <summary>The default <see cref="Realm"/>.</summary>
    public const string DefaultRealm = "OCI Registry";

    /// <summary>The realm named in <c>WWW-Authenticate: Basic realm="..."</c>.</summary>
    public string Realm { get; set; } = DefaultRealm;
}
