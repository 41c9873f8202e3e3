using AspNetCoreHost.Authentication;
using Microsoft.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Authorization;

namespace AspNetCoreHost.Authorization;

/// <summary>
/// Hands every registry request to the app's own <see cref="IAuthorizationService"/> with the
/// <see cref="RegistryResource"/> as the resource, under the <see cref="RegistryAccessHandler.PolicyName"/> policy.
/// Refused and anonymous: 401 with the Basic challenge. Refused and signed in: 403.
/// </summary>
public sealed class PolicyRegistryAuthorizer : IRegistryAuthorizer
{
    /// <inheritdoc />
    public async ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(context.User, resource, RegistryAccessHandler.PolicyName);
        if (result.Succeeded)
        {
            return RegistryAuthorizationResult.Allowed;
        }

        return context.User.Identity?.IsAuthenticated == true
            ? RegistryAuthorizationResult.Forbidden
            : RegistryAuthorizationResult.Challenge;
    }

    /// <inheritdoc />
    public void Challenge(HttpContext context, RegistryResource? resource) =>
        context.Response.Headers.WWWAuthenticate = BasicAuthenticationHandler.Challenge;
}
