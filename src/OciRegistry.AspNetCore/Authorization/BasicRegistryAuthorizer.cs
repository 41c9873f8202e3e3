using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// HTTP Basic authentication for the registry: users from an htpasswd file, rights from an access list.
/// Anonymous callers get what <c>*</c> rules grant and are challenged for the rest (and for <c>/v2/</c>);
/// signed-in callers are refused with 403 DENIED. A request without an <c>Authorization</c> header whose user the
/// host's authentication signed in (e.g. the web interface's login cookie) is that user.
/// </summary>
public sealed class BasicRegistryAuthorizer : IRegistryAuthorizer
{
    private readonly RegistryUsers _users;
    private readonly string _challenge;

    /// <summary>Loads the htpasswd file and compiles the access list.</summary>
    public BasicRegistryAuthorizer(IOptions<BasicAuthenticationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _users = new RegistryUsers(options.Value);
        _challenge = $"Basic realm=\"{options.Value.Realm.Replace("\"", "", StringComparison.Ordinal)}\", charset=\"UTF-8\"";
    }

    /// <summary>
    /// True when <paramref name="password"/> is <paramref name="user"/>'s in the htpasswd file: lets a login form (the
    /// web interface's) sign users in, after which their name is authorized by the same access list.
    /// </summary>
    public bool CheckPassword(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return _users.CheckPassword(user, password);
    }

    /// <inheritdoc />
    public ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = _users.Identify(context);
        if (!caller.CredentialsValid)
        {
            return ValueTask.FromResult(RegistryAuthorizationResult.Challenge);
        }

        if (_users.Access.Allows(caller.User, resource))
        {
            return ValueTask.FromResult(RegistryAuthorizationResult.Allowed);
        }

        return ValueTask.FromResult(caller.User is null ? RegistryAuthorizationResult.Challenge : RegistryAuthorizationResult.Forbidden);
    }

    /// <inheritdoc />
    public ValueTask ChallengeAsync(HttpContext context, RegistryResource? resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = _challenge;
        return ValueTask.CompletedTask;
    }
}
