using Microsoft.AspNetCore.Authorization;

namespace AspNetCoreHost.Authorization;

/// <summary>The requirement of the app's registry policy; <see cref="RegistryAccessHandler"/> decides it per <c>RegistryResource</c>.</summary>
public sealed class RegistryAccessRequirement : IAuthorizationRequirement;
