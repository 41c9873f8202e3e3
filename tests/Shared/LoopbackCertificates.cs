using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.Tests;

/// <summary>
/// A certificate authority made for one test, trusted by nothing else, and a certificate for 127.0.0.1 it signed: what
/// a TLS server in a test presents, and what its clients are told to trust.
/// </summary>
internal sealed class LoopbackCertificates : IDisposable
{
    private LoopbackCertificates(X509Certificate2 authority, X509Certificate2 server, string serverKeyPem)
    {
        Authority = authority;
        Server = server;
        ServerKeyPem = serverKeyPem;
    }

    /// <summary>The certificate authority, without its key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server's certificate for 127.0.0.1, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The server certificate's private key, PKCS#8 PEM.</summary>
    public string ServerKeyPem { get; }

    public static LoopbackCertificates Create(string authorityName)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest($"CN={authorityName}", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        // One clock reading for both, so the certificate never outlives its issuer (which Create refuses).
        var now = DateTimeOffset.UtcNow;
        using var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var signed = request.Create(authority, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        return new LoopbackCertificates(
            X509CertificateLoader.LoadCertificate(authority.RawData),
            signed.CopyWithPrivateKey(key),
            key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes the server's certificate and key as PEM files into <paramref name="folder"/>.</summary>
    public async Task WriteServerPemAsync(string folder, string certificateFile, string keyFile)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, certificateFile), Server.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, keyFile), ServerKeyPem);
    }

    /// <summary>Whether <paramref name="presented"/> chains to <see cref="Authority"/> alone, as a client trusting only it checks.</summary>
    public bool ChainsToAuthority(X509Certificate2 presented, X509Chain chain)
    {
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        return chain.Build(presented);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
