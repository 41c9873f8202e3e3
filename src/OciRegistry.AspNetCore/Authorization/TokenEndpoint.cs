using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// <c>GET /token?service=&amp;scope=...</c>: the Docker token protocol, and <c>POST /token</c> with the OAuth2 form
/// (<c>grant_type=password</c>, <c>username</c>, <c>password</c>, <c>service</c>, <c>scope</c>, <c>client_id</c>) that
/// containerd tries first. Credentials (or none, for what <c>*</c> rules allow) are checked against the htpasswd file; the JWT grants, per requested scope, the actions the access
/// list allows — possibly none, as CNCF Distribution's token servers do.
/// </summary>
internal sealed class TokenEndpoint(TokenSigningKey signingKey, IOptions<TokenServerOptions> server, IOptions<TokenAuthenticationOptions> token)
{
    private readonly RegistryUsers _users = new(server.Value);
    private readonly JsonWebTokenHandler _handler = new();

    // A token request is a few short fields; anything longer is refused before it is buffered.
    private const long MaxFormBytes = 16 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var parameters = await ReadParametersAsync(context).ConfigureAwait(false);
        if (parameters is null)
        {
            await WriteOAuthErrorAsync(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && parameters("grant_type") != "password")
        {
            // This server issues no refresh tokens, so the only grant it can honour is the password one.
            await WriteOAuthErrorAsync(context, "unsupported_grant_type").ConfigureAwait(false);
            return;
        }

        var caller = HttpMethods.IsPost(context.Request.Method) ? CallerOfForm(context, parameters) : _users.Identify(context);
        if (caller.RetryAfter is { } retryAfter)
        {
            RetryAfterHeader.Set(context.Response, retryAfter);
            await ErrorResponses.WriteAsync(context, RegistryError.TooManyRequests("too many failed logins from this address")).ConfigureAwait(false);
            return;
        }

        if (!caller.CredentialsValid)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Basic realm=\"{token.Value.Service}\"";
            await ErrorResponses.WriteAsync(context, RegistryError.Unauthorized()).ConfigureAwait(false);
            return;
        }

        var service = parameters("service").ToString();
        if (service.Length > 0 && service != token.Value.Service)
        {
            await ErrorResponses.WriteAsync(context, new RegistryError(RegistryErrorCode.Unsupported, $"unknown service '{service}'"), StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var access = new List<object>();
        foreach (var scope in TokenScope.ParseAll(parameters("scope")))
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

    // GET passes the query; POST (the OAuth2 form containerd tries first) the form. Null for a POST that is not a form.
    private static async Task<Func<string, StringValues>?> ReadParametersAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            var query = request.Query;
            return name => query[name];
        }

        if (!request.HasFormContentType || request.ContentLength > MaxFormBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        return name => form[name];
    }

    // The password grant: username and password in the form; both empty (or absent) is an anonymous caller.
    private RegistryCaller CallerOfForm(HttpContext context, Func<string, StringValues> parameters)
    {
        var user = parameters("username").ToString();
        var password = parameters("password").ToString();
        return user.Length == 0 && password.Length == 0 ? RegistryCaller.Anonymous : _users.Check(context, new BasicCredentials(user, password));
    }

    // RFC 6749 §5.2: {"error":"..."} with 400.
    private static Task WriteOAuthErrorAsync(HttpContext context, string error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return JsonResponses.WriteAsync(context, "application/json", error, static (json, error) =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteEndObject();
        });
    }
}
