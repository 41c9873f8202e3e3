using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>Turns configured key material (PEM text, shared secrets) into <see cref="SecurityKey"/>s.</summary>
internal static class TokenSigningKeys
{
    public static List<SecurityKey> Validation(TokenAuthenticationOptions options)
    {
        var keys = new List<SecurityKey>(options.SigningKeys);
        if (options.PublicKeyPath is { } path)
        {
            keys.Add(FromPem(File.ReadAllText(path), "OciRegistry:Auth:Token:PublicKeyPath"));
        }

        if (options.PublicKeyPem is { } pem)
        {
            keys.Add(FromPem(pem, "OciRegistry:Auth:Token:PublicKeyPem"));
        }

        if (options.SharedSecret is { } secret)
        {
            keys.Add(FromSecret(secret));
        }

        return keys;
    }

    public static SymmetricSecurityKey FromSecret(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("OciRegistry:Auth:Token:SharedSecret must be at least 32 bytes.");
        }

        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>Reads an RSA or ECDSA key (public or private) or a certificate from PEM text.</summary>
    public static AsymmetricSecurityKey FromPem(string pem, string setting)
    {
        if (pem.Contains("CERTIFICATE-----", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            if (certificate.GetRSAPublicKey() is { } rsaKey)
            {
                return new RsaSecurityKey(rsaKey);
            }

            return new ECDsaSecurityKey(certificate.GetECDsaPublicKey()
                ?? throw new InvalidOperationException($"{setting}: the certificate has neither an RSA nor an ECDSA key."));
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return new ECDsaSecurityKey(ecdsa);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException($"{setting} holds no RSA or ECDSA key in PEM form.", e);
        }
    }

    /// <summary>The JWT algorithm that signs with <paramref name="key"/>.</summary>
    public static string AlgorithmFor(SecurityKey key) => key switch
    {
        RsaSecurityKey => SecurityAlgorithms.RsaSha256,
        ECDsaSecurityKey ec => ec.ECDsa.KeySize switch
        {
            384 => SecurityAlgorithms.EcdsaSha384,
            521 => SecurityAlgorithms.EcdsaSha512,
            _ => SecurityAlgorithms.EcdsaSha256,
        },
        _ => SecurityAlgorithms.HmacSha256,
    };
}
