using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>An htpasswd file and an access list together: who the caller is, and what they may do.</summary>
internal sealed class RegistryUsers(RegistryUsersOptions options)
{
    private readonly HtpasswdFile _passwords = HtpasswdFile.Load(options.HtpasswdPath);
    private readonly FailedLoginLimiter _failures = new(options);
    private readonly object _callerKey = new();

    public AccessControlList Access { get; } = new(options.Access);

    /// <summary>True when <paramref name="password"/> is <paramref name="user"/>'s (for sign-in forms).</summary>
    public bool CheckPassword(string user, string password) => _passwords.Verify(user, password);

    /// <summary>
    /// The caller of this request from its Basic credentials, checked once per request: without any, the user the
    /// host's authentication signed in (by name), else anonymous; invalid when they are malformed or wrong.
    /// </summary>
    public RegistryCaller Identify(HttpContext context)
    {
        if (context.Items.TryGetValue(_callerKey, out var cached) && cached is RegistryCaller known)
        {
            return known;
        }

        var credentials = BasicCredentials.Read(context.Request, out var wellFormed);
        var caller = credentials switch
        {
            // No credentials in the request, but a user the host signed in some other way (the web interface's login cookie).
            null when wellFormed && context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } => new RegistryCaller(name, true),
            null when wellFormed => RegistryCaller.Anonymous,
            _ => Check(context, credentials),
        };
        context.Items[_callerKey] = caller;
        if (caller.User is { } user)
        {
            // The rest of the host (per-client upload limits, request logs) sees who this is.
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "Basic"));
        }

        return caller;
    }

    /// <summary>Checks credentials given in the request (null when they were malformed) against the file and the failed-login limit.</summary>
    public RegistryCaller Check(HttpContext context, BasicCredentials? credentials)
    {
        if (_failures.RetryAfter(context) is { } retryAfter)
        {
            return RegistryCaller.Throttled(retryAfter);
        }

        if (credentials is { } given && _passwords.Verify(given.User, given.Password))
        {
            return new RegistryCaller(given.User, true);
        }

        _failures.Failed(context);
        return RegistryCaller.Invalid;
    }
}

/// <summary>
/// Who sent a request: a user name, nobody (<see cref="Anonymous"/>), credentials that did not check out, or a caller
/// that failed too often and must wait <see cref="RetryAfter"/> before its credentials are checked again.
/// </summary>
internal sealed record RegistryCaller(string? User, bool CredentialsValid, TimeSpan? RetryAfter = null)
{
    public static RegistryCaller Anonymous { get; } = new(null, true);

    public static RegistryCaller Invalid { get; } = new(null, false);

    public static RegistryCaller Throttled(TimeSpan retryAfter) => new(null, false, retryAfter);
}
