using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// <c>GET /token?service=&amp;scope=...</c>: the Docker token protocol. Basic credentials (or none, for what <c>*</c>
/// rules allow) are checked against the htpasswd file; the JWT grants, per requested scope, the actions the access
/// list allows — possibly none, as CNCF Distribution's token servers do.
/// </summary>
internal sealed class TokenEndpoint(TokenSigningKey signingKey, IOptions<TokenServerOptions> server, IOptions<TokenAuthenticationOptions> token)
{
    private readonly RegistryUsers _users = new(server.Value);
    private readonly JsonWebTokenHandler _handler = new();

    public async Task HandleAsync(HttpContext context)
    {
        var caller = _users.Identify(context);
        if (!caller.CredentialsValid)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Basic realm=\"{token.Value.Service}\"";
            await ErrorResponses.WriteAsync(context, RegistryError.Unauthorized()).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var service = query["service"].ToString();
        if (service.Length > 0 && service != token.Value.Service)
        {
            await ErrorResponses.WriteAsync(context, new RegistryError(RegistryErrorCode.Unsupported, $"unknown service '{service}'"), StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var access = new List<object>();
        foreach (var scope in TokenScope.ParseAll(query["scope"]))
        {
            access.Add(new Dictionary<string, object>
            {
                ["type"] = scope.Type,
                ["name"] = scope.Name,
                ["actions"] = scope.Grantable(_users.Access, caller.User),
            });
        }

        var now = DateTime.UtcNow;
        var lifetime = server.Value.TokenLifetime;
        var jwt = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = token.Value.Issuer,
            Audience = token.Value.Service,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = signingKey.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = caller.User ?? "",
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                ["access"] = access,
            },
        });

        context.Response.Headers.CacheControl = "no-store";
        await JsonResponses.WriteAsync(context, "application/json", (jwt, lifetime, now), static (json, state) =>
        {
            json.WriteStartObject();
            json.WriteString("token", state.jwt);
            json.WriteString("access_token", state.jwt);
            json.WriteNumber("expires_in", (long)state.lifetime.TotalSeconds);
            json.WriteString("issued_at", state.now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
