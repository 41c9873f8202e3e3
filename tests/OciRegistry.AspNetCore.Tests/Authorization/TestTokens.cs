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

    public static string Mint(
        string repository,
        string[] actions,
        SecurityKey? key = null,
        string issuer = Issuer,
        string audience = Service,
        DateTime? expires = null,
        string type = "repository")
    {
        key ??= SecretKey;
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(5);
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
                ["access"] = new List<object>
                {
                    new Dictionary<string, object> { ["type"] = type, ["name"] = repository, ["actions"] = actions.ToList() },
                },
            },
        });
    }
}
