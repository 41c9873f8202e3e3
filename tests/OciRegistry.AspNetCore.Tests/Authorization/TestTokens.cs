using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OciRegistry.AspNetCore.Tests.Authorization;

/// <summary>Mints Docker registry tokens the way an external token server would.</summary>
internal static class TestTokens
{
    public const string Secret = "a shared secret of at least thirty-two bytes";
    public const string Issuer = "test-issuer";
    public const string Service = "test-registry";

    public static SecurityKey SecretKey { get; } = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret));

    /// <summary>A token granting several repositories at once, as a token server answers a request with several scopes.</summary>
    public static string MintMany(params (string Repository, string[] Actions)[] grants) =>
        Create(SecretKey, Issuer, Service, DateTime.UtcNow.AddMinutes(5), grants.Select(grant => ("repository", grant.Repository, grant.Actions)));

    public static string Mint(
        string repository,
        string[] actions,
        SecurityKey? key = null,
        string issuer = Issuer,
        string audience = Service,
        DateTime? expires = null,
        string type = "repository")
    {
        return Create(key ?? SecretKey, issuer, audience, expires ?? DateTime.UtcNow.AddMinutes(5), [(type, repository, actions)]);
    }

    private static string Create(SecurityKey key, string issuer, string audience, DateTime expiry, IEnumerable<(string Type, string Name, string[] Actions)> grants)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expiry < now ? expiry.AddMinutes(-10) : now,
            NotBefore = expiry < now ? expiry.AddMinutes(-10) : now,
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key, key switch
            {
                RsaSecurityKey => SecurityAlgorithms.RsaSha256,
                ECDsaSecurityKey => SecurityAlgorithms.EcdsaSha256,
                _ => SecurityAlgorithms.HmacSha256,
            }),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "tester",
                ["access"] = grants
                    .Select(grant => (object)new Dictionary<string, object> { ["type"] = grant.Type, ["name"] = grant.Name, ["actions"] = grant.Actions.ToList() })
                    .ToList(),
            },
        });
    }
}
