using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>The key the built-in token server signs with: from <see cref="TokenServerOptions.SigningKeyPath"/>, or ephemeral.</summary>
internal sealed partial class TokenSigningKey
{
    public TokenSigningKey(IOptions<TokenServerOptions> options, ILogger<TokenSigningKey> logger)
    {
        SecurityKey key;
        if (options.Value.SigningKeyPath is { } path)
        {
            key = TokenSigningKeys.FromPem(File.ReadAllText(path), "OciRegistry:Auth:Token:SigningKeyPath");
            Log.ConfiguredKey(logger, path);
        }
        else
        {
            key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
            Log.EphemeralKey(logger);
        }

        key.KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        Credentials = new SigningCredentials(key, TokenSigningKeys.AlgorithmFor(key));
    }

    public SigningCredentials Credentials { get; }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Token server: no OciRegistry:Auth:Token:SigningKeyPath configured; signing with an ephemeral ECDSA P-256 key (tokens end with this process).")]
        public static partial void EphemeralKey(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Token server: signing tokens with the key in {Path}.")]
        public static partial void ConfiguredKey(ILogger logger, string path);
    }
}
