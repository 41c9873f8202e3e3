using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>Decides whether the caller may act on a <see cref="RegistryResource"/>. Replace it to plug in access control.</summary>
public interface IRegistryAuthorizer
{
    /// <summary>Authorizes <paramref name="resource"/> for the request's user.</summary>
    ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource);

    /// <summary>
    /// Adds the authentication challenge (e.g. <c>WWW-Authenticate</c>) to a 401 answer for <paramref name="resource"/>.
    /// The registry writes the <c>UNAUTHORIZED</c> body afterwards unless the challenge already started the response.
    /// </summary>
    ValueTask ChallengeAsync(HttpContext context, RegistryResource? resource);

    /// <summary>
    /// Whether <paramref name="repository"/> appears in the catalog for a caller the catalog was already authorized for.
    /// By default, when the caller may pull it.
    /// </summary>
    async ValueTask<bool> ListsInCatalogAsync(HttpContext context, string repository) =>
        await AuthorizeAsync(context, new RegistryResource(repository, RegistryAction.Pull)).ConfigureAwait(false) == RegistryAuthorizationResult.Allowed;
}
