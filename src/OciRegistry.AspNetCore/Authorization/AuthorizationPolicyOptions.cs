namespace OciRegistry.AspNetCore.Authorization;

/// <summary>How <see cref="AuthorizationServiceRegistryAuthorizer"/> asks the host's authorization policies.</summary>
public sealed class AuthorizationPolicyOptions
{
    /// <summary>The default <see cref="PolicyName"/>.</summary>
    public const string DefaultPolicyName = "OciRegistry";

    /// <summary>The host policy evaluated for every registry request, with the <see cref="RegistryResource"/> as resource.</summary>
    public string PolicyName { get; set; } = DefaultPolicyName;

    /// <summary>
    /// The <c>WWW-Authenticate</c> value sent to unauthenticated callers. When null the host's default
    /// authentication scheme challenges (<c>HttpContext.ChallengeAsync()</c>).
    /// </summary>
    public string? WwwAuthenticate { get; set; }
}
