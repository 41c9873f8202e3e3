namespace OciRegistry.Core.Digests;

/// <summary>The content-addressing algorithms the registry accepts (OCI image-spec "registered algorithms").</summary>
public enum DigestAlgorithm : byte
{
    /// <summary>SHA-256: 64 lowercase hex characters. The default and what every client sends.</summary>
    Sha256 = 1,

    /// <summary>SHA-512: 128 lowercase hex characters.</summary>
    Sha512 = 2,
}

/// <summary>Facts about each <see cref="DigestAlgorithm"/>.</summary>
public static class DigestAlgorithms
{
    /// <summary>The algorithm's name as it appears before the colon of a digest.</summary>
    public static string Name(this DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => "sha256",
        DigestAlgorithm.Sha512 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The length, in bytes, of the hash the algorithm produces.</summary>
    public static int HashSizeInBytes(this DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => 32,
        DigestAlgorithm.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The length of the hex-encoded part of a digest of this algorithm.</summary>
    public static int EncodedLength(this DigestAlgorithm algorithm) => algorithm.HashSizeInBytes() * 2;
}
