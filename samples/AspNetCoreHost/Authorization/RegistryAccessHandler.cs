using Microsoft.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Authorization;

namespace AspNetCoreHost.Authorization;

/// <summary>
/// The app's rule for its registry: anyone may pull and list; only publishers may push or delete; <c>GET /v2/</c>
/// challenges anonymous callers, so that clients with credentials send them.
/// </summary>
public sealed class RegistryAccessHandler : AuthorizationHandler<RegistryAccessRequirement, RegistryResource>
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "registry";

    /// <summary>The role that may push and delete.</summary>
    public const string PublisherRole = "publisher";

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RegistryAccessRequirement requirement, RegistryResource resource)
    {
        var allowed = resource switch
        {
            // GET /v2/ is where clients learn how to authenticate: if it answered anonymous callers 200, skopeo and
            // docker would never send the credentials a push needs. Anonymous pulls still work: clients without
            // credentials go on after the challenge (docker, podman and skopeo send no or empty credentials).
            { Repository: null, Action: RegistryAction.Pull } => context.User.Identity?.IsAuthenticated == true,
            { Action: RegistryAction.Pull or RegistryAction.Catalog } => true,
            _ => context.User.IsInRole(PublisherRole),
        };
        if (allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
