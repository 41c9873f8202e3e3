using Microsoft.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.AspNetCore.Tests.Authorization;

/// <summary>
/// A host's registry policy: pull for everyone, push and delete for role <c>publisher</c>, and every signed-in user
/// may push to their own namespace (<c>&lt;name&gt;/...</c>). The catalog is for publishers.
/// </summary>
internal sealed class RegistryPolicyHandler : AuthorizationHandler<RegistryPolicyRequirement, RegistryResource>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RegistryPolicyRequirement requirement, RegistryResource resource)
    {
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        var allowed = resource.Action switch
        {
            RegistryAction.Pull => true,
            RegistryAction.Catalog => context.User.IsInRole("publisher"),
            _ => context.User.IsInRole("publisher")
                || (user is not null && resource.Repository?.StartsWith(user + "/", StringComparison.Ordinal) == true),
        };
        if (allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The requirement <see cref="RegistryPolicyHandler"/> satisfies.</summary>
internal sealed class RegistryPolicyRequirement : IAuthorizationRequirement;
