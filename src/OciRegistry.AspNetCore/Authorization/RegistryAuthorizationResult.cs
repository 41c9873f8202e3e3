namespace OciRegistry.AspNetCore.Authorization;

/// <summary>The outcome of authorizing a registry request.</summary>
public enum RegistryAuthorizationResult
{
    /// <summary>Go ahead.</summary>
    Allowed,

    /// <summary>The caller is not authenticated: answer 401 UNAUTHORIZED with a challenge.</summary>
    Challenge,

    /// <summary>The caller is authenticated but may not do this: answer 403 DENIED.</summary>
    Forbidden,

    /// <summary>
    /// The caller must wait (too many failed logins): answer 429 TOOMANYREQUESTS. The authorizer sets
    /// <c>Retry-After</c> on the response.
    /// </summary>
    TooManyRequests,
}
