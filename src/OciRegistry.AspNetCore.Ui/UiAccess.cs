using Microsoft.AspNetCore.Http;
using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.AspNetCore.Ui;

/// <summary>
/// The pages' one door to authorization: the registry's own <see cref="IRegistryAuthorizer"/> asked about the same
/// <see cref="RegistryResource"/>s as the API, so a page shows exactly what the caller could pull, push or delete.
/// </summary>
internal sealed class UiAccess(IRegistryAuthorizer authorizer)
{
    public async ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource) =>
        await authorizer.AuthorizeAsync(context, resource).ConfigureAwait(false);

    public async ValueTask<bool> AllowsAsync(HttpContext context, RegistryResource resource) =>
        await authorizer.AuthorizeAsync(context, resource).ConfigureAwait(false) == RegistryAuthorizationResult.Allowed;

    public ValueTask<bool> CanPullAsync(HttpContext context, string repository) =>
        AllowsAsync(context, new RegistryResource(repository, RegistryAction.Pull));
}
