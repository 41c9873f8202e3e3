using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>Lets everyone do everything: the local default. Hosts that need access control replace it.</summary>
public sealed class AnonymousRegistryAuthorizer : IRegistryAuthorizer
{
    /// <inheritdoc />
    public ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource) =>
        ValueTask.FromResult(RegistryAuthorizationResult.Allowed);

    /// <inheritdoc />
    public ValueTask ChallengeAsync(HttpContext context, RegistryResource? resource) => ValueTask.CompletedTask;
}
