using Microsoft.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Authorization;

namespace AspNetCoreHost.Authorization;

/// <summary>The app's rule for its registry: anyone may pull and list; only publishers may push or delete.</summary>
public sealed class RegistryAccessHandler : AuthorizationHandler<RegistryAccessRequirement, RegistryResource>
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "registry";

    /// <summary>The role that may push and delete.</summary>
    public const string PublisherRole = "publisher";

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RegistryAccessRequirement requirement, RegistryResource resource)
    {
        var allowed = resource.Action switch
        {
            RegistryAction.Pull or RegistryAction.Catalog => true,
            _ => context.User.IsInRole(PublisherRole),
        };
        if (allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
