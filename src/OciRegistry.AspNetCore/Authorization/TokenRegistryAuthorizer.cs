using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// Docker token authentication: validates the bearer JWT (signature, issuer, audience = service, lifetime) and
/// allows what its <c>access</c> claim grants. Without a valid token, or with one that lacks the scope, the caller
/// gets 401 and a <c>Bearer realm=...,service=...,scope=...</c> challenge telling it which token to fetch.
/// </summary>
public sealed class TokenRegistryAuthorizer : IRegistryAuthorizer
{
    private readonly TokenAuthenticationOptions _options;
    private readonly TokenRealm _realm;
    private readonly TokenValidationParameters _validation;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly object _stateKey = new();

    /// <summary>
    /// Prepares validation from the options; stops the app when no signing key is configured. Without a configured
    /// <see cref="TokenAuthenticationOptions.Realm"/>, the realm comes from a proxy <paramref name="forwarding"/>
    /// trusts, else from the address the connection reached, never from the Host header.
    /// </summary>
    public TokenRegistryAuthorizer(IOptions<TokenAuthenticationOptions> options, IOptions<ForwardedHeadersOptions> forwarding)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(forwarding);
        _options = options.Value;
        _realm = new TokenRealm(_options, forwarding.Value);
        var keys = TokenSigningKeys.Validation(_options);
        if (keys.Count == 0)
        {
            throw new InvalidOperationException(
                "Token authentication needs a signing key: set OciRegistry:Auth:Token:PublicKeyPem, PublicKeyPath or SharedSecret, or use the built-in token server.");
        }

        _validation = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Service,
            IssuerSigningKeys = keys,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = _options.ClockSkew,
        };
    }

    /// <inheritdoc />
    public async ValueTask<RegistryAuthorizationResult> AuthorizeAsync(HttpContext context, RegistryResource resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var state = await ReadTokenAsync(context).ConfigureAwait(false);
        return state.Grant is { } grant && grant.Allows(resource) ? RegistryAuthorizationResult.Allowed : RegistryAuthorizationResult.Challenge;
    }

    /// <summary>
    /// Every repository: the catalog was authorized by the token's <c>registry:catalog:*</c> grant, which is the right
    /// to list the registry (as in CNCF Distribution); the built-in token server grants it only to those its access
    /// list allows the catalog.
    /// </summary>
    public ValueTask<bool> ListsInCatalogAsync(HttpContext context, string repository) => ValueTask.FromResult(true);

    /// <inheritdoc />
    public async ValueTask ChallengeAsync(HttpContext context, RegistryResource? resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = await ReadTokenAsync(context).ConfigureAwait(false);
        var challenge = $"Bearer realm=\"{_realm.Of(context)}\",service=\"{_options.Service}\"";
        if (resource is { Repository: not null } or { Action: RegistryAction.Catalog })
        {
            challenge += $",scope=\"{resource.Scope}\"";
        }

        if (state.Error is { } error)
        {
            challenge += $",error=\"{error}\"";
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
    }

    // Validated once per request: the catalog asks for every repository it lists.
    private async ValueTask<TokenState> ReadTokenAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(_stateKey, out var cached) && cached is TokenState known)
        {
            return known;
        }

        var state = await ValidateAsync(context.Request.Headers[HeaderNames.Authorization].ToString()).ConfigureAwait(false);
        context.Items[_stateKey] = state;
        if (state.Subject is { Length: > 0 } subject)
        {
            // The rest of the host (per-client upload limits, request logs) sees who this is.
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, subject)], "Bearer"));
        }

        return state;
    }

    private async Task<TokenState> ValidateAsync(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenState.None;
        }

        var result = await _handler.ValidateTokenAsync(header["Bearer ".Length..].Trim(), _validation).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return TokenState.Invalid;
        }

        return new TokenState(TokenGrant.FromPayload(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)), "insufficient_scope", token.Subject);
    }

    private sealed record TokenState(TokenGrant? Grant, string? Error, string? Subject = null)
    {
        public static TokenState None { get; } = new(null, null);

        public static TokenState Invalid { get; } = new(null, "invalid_token");
    }
}
