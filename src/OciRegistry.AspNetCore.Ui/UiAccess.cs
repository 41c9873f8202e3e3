using Microsoft.AspNetCore.Http;
using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.AspNetCore.Ui;

/// <summary>
/// The pages' one door to authorization: the registry's own <see cref="IRegistryAuthorizer"/> asked about the same
/// <see cref="RegistryResource"/>s as the API, so a page shows exactly what the caller could pull, push or delete.
/// A login for a registry whose API honours only bearer tokens brings an authorizer of its own (see
/// <c>AddOciRegistryUiLogin</c>) that applies the same access list to the signed-in user.
/// </summary>
internal sealed class UiAccess(IRegistryAuthorizer authorizer)
{
    /// <summary>The service key of an authorizer that replaces the API's for the pages.</summary>
    public const string AuthorizerKey = "OciRegistryUi";

    public async ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource) =>
        await authorizer.AuthorizeAsync(context, resource).ConfigureAwait(false);

    public async ValueTask<bool> AllowsAsync(HttpContext context, RegistryResource resource) =>
        await authorizer.AuthorizeAsync(context, resource).ConfigureAwait(false) == RegistryAuthorizationResult.Allowed;

    public ValueTask<bool> CanPullAsync(HttpContext context, string repository) =>
        AllowsAsync(context, new RegistryResource(repository, RegistryAction.Pull));

    public ValueTask ChallengeAsync(HttpContext context, RegistryResource resource) => authorizer.ChallengeAsync(context, resource);
}
