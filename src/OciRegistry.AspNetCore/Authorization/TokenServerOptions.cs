namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// The built-in token server (<c>GET /token?service=&amp;scope=</c>): checks Basic credentials against the htpasswd
/// file and issues short-lived JWTs granting what the access list allows of the requested scopes.
/// </summary>
public sealed class TokenServerOptions : RegistryUsersOptions
{
    /// <summary>
    /// A PEM file with the private key (RSA or ECDSA) that signs tokens. Null makes an ephemeral ECDSA P-256 key at
    /// startup: tokens then stop being valid when the process restarts, and only this process can check them.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>How long an issued token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
