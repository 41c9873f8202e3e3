using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AspNetCoreHost.Authentication;

/// <summary>
/// HTTP Basic authentication against <see cref="BasicUsersOptions"/> — the app's own scheme, which docker, skopeo
/// and curl speak. No header, or empty credentials: anonymous. A wrong password: failed (401).
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<BasicUsersOptions> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "Basic";

    /// <summary>Base64 of ":", an empty user name and password.</summary>
    public const string EmptyCredentials = "Og==";

    /// <summary>The challenge clients answer with credentials.</summary>
    public const string Challenge = "Basic realm=\"AspNetCoreHost\"";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, SchemeName, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (header.Parameter == EmptyCredentials)
        {
            // podman, skopeo and buildah send empty credentials after a challenge when they have none: anonymous.
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!TryReadCredentials(header.Parameter, out var name, out var password)
            || !users.CurrentValue.TryGetValue(name, out var user)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(user.Password)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid user name or password."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(user.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = Challenge;
        return base.HandleChallengeAsync(properties);
    }

    private static bool TryReadCredentials(string? parameter, out string name, out string password)
    {
        name = password = string.Empty;
        if (string.IsNullOrEmpty(parameter))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        name = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
