using Microsoft.IdentityModel.Tokens;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// Docker token authentication: clients are sent to <see cref="Realm"/> for a JWT whose <c>access</c> claim lists
/// what they may do, and present it as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class TokenAuthenticationOptions
{
    /// <summary>The default <see cref="Service"/> and <see cref="Issuer"/>.</summary>
    public const string DefaultName = "oci-registry";

    /// <summary>
    /// The token endpoint's absolute URL, sent in the challenge. Null means this host's own <c>/token</c> (the
    /// built-in token server mapped by <c>MapOciRegistryTokenEndpoint()</c>) at the address the connection reached,
    /// or, from a proxy trusted in <c>ForwardedHeadersOptions</c> (<c>XForwardedHost</c> and <c>KnownProxies</c>),
    /// at its <c>X-Forwarded-Proto</c>/<c>X-Forwarded-Host</c>; never at the request's Host header. Set it when clients
    /// reach the registry by a name.
    /// </summary>
    public string? Realm { get; set; }

    /// <summary>The registry's service name: sent in the challenge and required as the token's audience.</summary>
    public string Service { get; set; } = DefaultName;

    /// <summary>The required token issuer (<c>iss</c>).</summary>
    public string Issuer { get; set; } = DefaultName;

    /// <summary>A PEM public key (RSA or ECDSA, <c>-----BEGIN PUBLIC KEY-----</c>) or certificate that signs tokens.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>A file holding <see cref="PublicKeyPem"/>.</summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>An HMAC-SHA256 shared secret (UTF-8, at least 32 bytes) that signs tokens; for tests and single-host setups.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Further signing keys, added in code (the built-in token server adds its own here).</summary>
    public IList<SecurityKey> SigningKeys { get; } = [];

    /// <summary>How far token lifetimes may be off from this host's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
