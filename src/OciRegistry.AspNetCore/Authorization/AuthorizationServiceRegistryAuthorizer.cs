using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// Authorizes registry requests with the host's own authentication and policies: asks
/// <see cref="IAuthorizationService"/> for <see cref="AuthorizationPolicyOptions.PolicyName"/> with the
/// <see cref="RegistryResource"/> as resource. Denied anonymous callers are challenged (401), denied signed-in
/// callers are refused (403 DENIED).
/// </summary>
public sealed class AuthorizationServiceRegistryAuthorizer(IOptions<AuthorizationPolicyOptions> options) : IRegistryAuthorizer
{
    /// <inheritdoc />
    public async ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(context.User, resource, options.Value.PolicyName).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return RegistryAuthorizationResult.Allowed;
        }

        return context.User.Identity?.IsAuthenticated == true ? RegistryAuthorizationResult.Forbidden : RegistryAuthorizationResult.Challenge;
    }

    /// <inheritdoc />
    public async ValueTask ChallengeAsync(HttpContext context, RegistryResource? resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options.Value.WwwAuthenticate is { } challenge)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
            return;
        }

        // Without a default challenge scheme there is nothing to ask: the 401 goes out without WWW-Authenticate.
        var schemes = context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
        if (await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false) is not null)
        {
            await context.ChallengeAsync().ConfigureAwait(false);
        }
    }
}
