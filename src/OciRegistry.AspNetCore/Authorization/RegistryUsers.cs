using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>An htpasswd file and an access list together: who the caller is, and what they may do.</summary>
internal sealed class RegistryUsers(RegistryUsersOptions options)
{
    private readonly HtpasswdFile _passwords = HtpasswdFile.Load(options.HtpasswdPath);
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
            { } given when _passwords.Verify(given.User, given.Password) => new RegistryCaller(given.User, true),
            _ => RegistryCaller.Invalid,
        };
        context.Items[_callerKey] = caller;
        return caller;
    }
}

/// <summary>Who sent a request: a user name, nobody (<see cref="Anonymous"/>), or credentials that did not check out.</summary>
internal sealed record RegistryCaller(string? User, bool CredentialsValid)
{
    public static RegistryCaller Anonymous { get; } = new(null, true);

    public static RegistryCaller Invalid { get; } = new(null, false);
}
